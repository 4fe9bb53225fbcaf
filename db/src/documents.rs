//! Documents residents and offices photograph or scan: ID cards, household
//! registers, certificates (and, later, claim receipts). The bytes live in a
//! `DocumentStore` outside the database, named by their SHA-256; the
//! `documents` table records whose each one is, what it is and who brought it.
//!
//! A document is checked by its content (magic bytes), never by its file
//! name, and by size, before anything is written. Whoever may see its
//! household (scope.rs) may open it: the resident's household, the office of
//! the household, a school with a pupil in it, the county's agency.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::DocumentError;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// Where document bytes live. A local folder by default; an object store can
/// stand in for it (every instance behind a load balancer must see the same).
pub trait DocumentStore: Send + Sync {
    /// Stores `bytes` under `sha256` (their hash). Storing the same bytes again
    /// is a no-op; a reader never sees a half-written document.
    fn put(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// The bytes stored under `sha256`, if any.
    fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>>;
}

pub type Store = Arc<dyn DocumentStore>;

/// Documents as files in a folder: `<root>/<first two hex digits>/<sha256>`,
/// so no folder grows past a few thousand entries.
#[derive(Debug, Clone)]
pub struct LocalFolder {
    root: PathBuf,
}

impl LocalFolder {
    pub fn new(root: impl Into<PathBuf>) -> LocalFolder {
        LocalFolder { root: root.into() }
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        // The name comes from our own hash, but a path is built from it: refuse anything else.
        if !is_sha256(sha256) {
            return None;
        }
        Some(self.root.join(&sha256[..2]).join(sha256))
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // The rename is durable only once the folder's entry is on disk too.
    std::fs::File::open(dir)?.sync_all()
}

impl DocumentStore for LocalFolder {
    fn put(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| std::io::Error::other("not a sha256"))?;
        if path.exists() {
            return Ok(());
        }
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("no folder"))?;
        std::fs::create_dir_all(dir)?;
        // A unique temporary name per writer: two uploads of the same bytes at
        // once each write their own file, and the second rename replaces the
        // first with identical bytes.
        let tmp = dir.join(format!(
            ".{sha256}.{}.{}.tmp",
            std::process::id(),
            rand::random::<u64>()
        ));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            sync_dir(dir)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(None);
        };
        match std::fs::read(path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The content type of a photo or scan, read from its first bytes; `None`
/// for anything else (a text file named `.jpg` included).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let at = |range: std::ops::Range<usize>| bytes.get(range);
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some("image/png");
    }
    if bytes.starts_with(b"RIFF") && at(8..12) == Some(b"WEBP") {
        return Some("image/webp");
    }
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    // HEIC/HEIF (iPhone photos): an ISO-BMFF `ftyp` box with a HEIF brand.
    if at(4..8) == Some(b"ftyp") {
        const BRANDS: [&[u8]; 8] = [
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
        ];
        if at(8..12).is_some_and(|b| BRANDS.contains(&b)) {
            return Some("image/heic");
        }
    }
    None
}

/// The most pixels an image may declare: the largest phone camera's
/// (200 megapixels). A header claiming 65535 × 65535 is a decompression
/// bomb for whatever opens it later, not a photo.
pub const MAX_PIXELS: u64 = 200_000_000;

/// Checks a document before anything is stored: that there is one, its
/// size against `max_bytes`, its content type (by its bytes), and, for an
/// image whose header can be read, its declared pixel dimensions.
pub fn check(bytes: &[u8], max_bytes: usize) -> Result<&'static str> {
    if bytes.len() > max_bytes {
        return Err(Error::from(DocumentError::DocumentTooLarge));
    }
    if bytes.is_empty() {
        return Err(Error::from(DocumentError::DocumentMissing));
    }
    let kind = sniff(bytes).ok_or(Error::from(DocumentError::DocumentType))?;
    if let Some((w, h)) = dimensions(bytes, kind) {
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(Error::from(DocumentError::DocumentPixels));
        }
    }
    Ok(kind)
}

/// The accepted types, with the content types and file-name extensions
/// that claim each.
const CLAIMS: [(&str, &[&str], &[&str]); 5] = [
    (
        "image/jpeg",
        &["image/jpeg", "image/jpg", "image/pjpeg"],
        &["jpg", "jpeg", "jfif"],
    ),
    ("image/png", &["image/png"], &["png"]),
    ("image/webp", &["image/webp"], &["webp"]),
    ("application/pdf", &["application/pdf"], &["pdf"]),
    (
        "image/heic",
        &["image/heic", "image/heif"],
        &["heic", "heif"],
    ),
];

/// The type an uploader claims for a file: its part's content type, else
/// its name's extension; `None` when it claims nothing in particular
/// (`application/octet-stream`, no extension).
pub fn claimed_type(content_type: Option<&str>, file_name: Option<&str>) -> Option<&'static str> {
    let by_mime = |m: &str| {
        let m = m.trim().to_ascii_lowercase();
        CLAIMS
            .iter()
            .find(|c| c.1.contains(&m.as_str()))
            .map(|c| c.0)
    };
    let by_name = |n: &str| {
        let ext = n.rsplit_once('.')?.1.to_ascii_lowercase();
        CLAIMS
            .iter()
            .find(|c| c.2.contains(&ext.as_str()))
            .map(|c| c.0)
    };
    content_type
        .and_then(by_mime)
        .or_else(|| file_name.and_then(by_name))
}

/// Refuses a file whose bytes are an accepted type other than the one it
/// claims (a PDF named `.jpg`): the uploader is told the file is not what
/// it says, rather than only "not an image". Bytes of no accepted type are
/// left to [`check`].
pub fn check_claim(bytes: &[u8], claimed: Option<&str>) -> Result<()> {
    match (sniff(bytes), claimed) {
        (Some(actual), Some(said)) if actual != said => {
            Err(Error::from(DocumentError::DocumentTypeMismatch))
        }
        _ => Ok(()),
    }
}

/// The width and height an image's header declares, when it can be read:
/// PNG's IHDR, a JPEG's start-of-frame, WebP's VP8X or VP8 header.
pub fn dimensions(bytes: &[u8], kind: &str) -> Option<(u32, u32)> {
    let be16 = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u32::from(b[0]) << 8 | u32::from(b[1]))
    };
    let le24 = |i: usize| {
        bytes
            .get(i..i + 3)
            .map(|b| u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
    };
    match kind {
        "image/png" if bytes.get(12..16) == Some(b"IHDR") => {
            let be32 = |i: usize| {
                bytes
                    .get(i..i + 4)
                    .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            };
            Some((be32(16)?, be32(20)?))
        }
        "image/jpeg" => {
            let mut i = 2;
            loop {
                if *bytes.get(i)? != 0xFF {
                    return None;
                }
                let marker = *bytes.get(i + 1)?;
                match marker {
                    // Fill bytes, and markers that stand alone.
                    0xFF => i += 1,
                    0x01 | 0xD0..=0xD8 => i += 2,
                    // Start of scan: no frame header came before it.
                    0xDA | 0xD9 => return None,
                    0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                        return Some((be16(i + 7)?, be16(i + 5)?));
                    }
                    _ => i += 2 + usize::try_from(be16(i + 2)?).ok()?,
                }
            }
        }
        "image/webp" => match bytes.get(12..16)? {
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            b"VP8 " => Some((le16(bytes, 26)? & 0x3FFF, le16(bytes, 28)? & 0x3FFF)),
            _ => None,
        },
        _ => None,
    }
}

fn le16(bytes: &[u8], i: usize) -> Option<u32> {
    bytes
        .get(i..i + 2)
        .map(|b| u32::from(b[0]) | u32::from(b[1]) << 8)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub household_id: i64,
    pub person_id: Option<i64>,
    pub pre_registration_member_id: Option<i64>,
    pub evidence_code: Option<String>,
    pub claim_id: Option<i64>,
    pub uploaded_by: i64,
    pub uploaded_at: i64,
}

/// What a document is for: its household, and optionally the person or the
/// pre-registered member it shows, and what it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purpose {
    pub household_id: i64,
    pub person_id: Option<i64>,
    pub pre_registration_member_id: Option<i64>,
    pub evidence_code: Option<String>,
    /// The claim it supports (a receipt, a diagnosis …), if any.
    pub claim_id: Option<i64>,
}

const COLS: &str = "d.id, d.sha256, d.content_type, d.size_bytes, d.household_id, d.person_id,
    d.pre_registration_member_id, d.evidence_code, d.claim_id, d.uploaded_by, d.uploaded_at";

pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Document> {
    Ok(Document {
        id: r.try_get("id")?,
        sha256: r.try_get("sha256")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        household_id: r.try_get("household_id")?,
        person_id: r.try_get("person_id")?,
        pre_registration_member_id: r.try_get("pre_registration_member_id")?,
        evidence_code: r.try_get("evidence_code")?,
        claim_id: r.try_get("claim_id")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// A stored content type as the `'static` name [`check`] gives it.
pub(crate) fn known_type(content_type: &str) -> &'static str {
    [
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/heic",
        "application/pdf",
    ]
    .into_iter()
    .find(|t| *t == content_type)
    .unwrap_or("application/pdf")
}

/// A checked document, its bytes in the store, ready for its row.
pub(crate) struct Stored {
    pub sha256: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
}

/// Checks and stores the bytes. Stored before the row is written: if the
/// transaction then fails, an unreferenced file named by its hash is left,
/// which is harmless and is reused by the next upload of the same bytes.
pub(crate) async fn check_and_store(
    store: &Store,
    bytes: Vec<u8>,
    max_bytes: usize,
) -> Result<Stored> {
    let content_type = check(&bytes, max_bytes)?;
    let sha256 = sha256_hex(&bytes);
    let size_bytes =
        i64::try_from(bytes.len()).map_err(|_| Error::from(DocumentError::DocumentTooLarge))?;
    let (store, sha) = (store.clone(), sha256.clone());
    tokio::task::spawn_blocking(move || store.put(&sha, &bytes))
        .await?
        .map_err(|e| Error::Database(sqlx::Error::Io(e)))?;
    Ok(Stored {
        sha256,
        content_type,
        size_bytes,
    })
}

/// Writes a document's row (or finds the same one already there) and its
/// audit entry inside the caller's transaction. Returns its id and whether
/// it is new (false: the same bytes were already there for that purpose).
pub(crate) async fn record_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    doc: &Stored,
    purpose: &Purpose,
) -> Result<(i64, bool)> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE sha256 = $1 AND household_id = $2
           AND COALESCE(pre_registration_member_id, 0) = $3 AND COALESCE(person_id, 0) = $4
           AND COALESCE(evidence_code, '') = $5 AND COALESCE(claim_id, 0) = $6",
    )
    .bind(&doc.sha256)
    .bind(purpose.household_id)
    .bind(purpose.pre_registration_member_id.unwrap_or(0))
    .bind(purpose.person_id.unwrap_or(0))
    .bind(purpose.evidence_code.clone().unwrap_or_default())
    .bind(purpose.claim_id.unwrap_or(0))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (sha256, content_type, size_bytes, household_id, person_id, pre_registration_member_id,
             evidence_code, claim_id, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&doc.sha256)
    .bind(doc.content_type)
    .bind(doc.size_bytes)
    .bind(purpose.household_id)
    .bind(purpose.person_id)
    .bind(purpose.pre_registration_member_id)
    .bind(&purpose.evidence_code)
    .bind(purpose.claim_id)
    .bind(actor.user_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    audit::record(
        tx,
        By::User(actor),
        Change {
            action: "document.upload",
            entity: "document",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({
                "sha256": doc.sha256, "content_type": doc.content_type, "size_bytes": doc.size_bytes,
                "household_id": purpose.household_id, "person_id": purpose.person_id,
                "pre_registration_member_id": purpose.pre_registration_member_id,
                "evidence_code": purpose.evidence_code, "claim_id": purpose.claim_id,
            })),
        },
    )
    .await?;
    Ok((id, true))
}

/// Who may bring documents for a household: its own resident, or its office.
async fn may_upload(db: &Db, actor: &Actor, household_id: i64) -> Result<()> {
    match actor.role {
        Role::Resident | Role::OfficeAgent => {
            crate::households::get(db, actor, household_id).await?;
            Ok(())
        }
        _ => Err(Error::Forbidden),
    }
}

/// Checks, stores and records one document. The same bytes for the same
/// purpose give back the same row; refused bytes leave no file and no row.
pub async fn upload(
    db: &Db,
    store: &Store,
    actor: &Actor,
    purpose: &Purpose,
    bytes: Vec<u8>,
    max_bytes: usize,
) -> Result<Document> {
    may_upload(db, actor, purpose.household_id).await?;
    let stored = check_and_store(store, bytes, max_bytes).await?;
    let mut tx = db.begin_write().await?;
    let (id, _) = record_in(&mut tx, actor, &stored, purpose).await?;
    tx.commit().await?;
    let sql = format!("SELECT {COLS} FROM documents d WHERE d.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_one(&db.pool).await?;
    Ok(from_row(&row)?)
}

/// The rows of a document (by hash) whose household the actor may see.
pub async fn visible(db: &Db, actor: &Actor, sha256: &str) -> Result<Vec<Document>> {
    let clause = actor.household_clause(2);
    // A school sees the papers of its pupils, not of the rest of their
    // households (a parent's ID card, a grandparent's pre-registration).
    let pupils_only = if actor.role == Role::SchoolAgent {
        "AND EXISTS (SELECT 1 FROM persons sp WHERE sp.id = d.person_id AND sp.school_code = $2)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLS} FROM documents d JOIN households h ON h.id = d.household_id
         WHERE d.sha256 = $1 AND ({}) {pupils_only} ORDER BY d.id",
        clause.sql
    );
    let rows = clause
        .bind_query(sqlx::query(&sql).bind(sha256))
        .fetch_all(&db.pool)
        .await?;
    let docs: Vec<Document> = rows.iter().map(from_row).collect::<sqlx::Result<_>>()?;
    // A claim's receipts and diagnoses are medical: the household and the
    // agency open them, not the office or school that sees enrolment papers.
    let medical_ok = matches!(actor.role, Role::Resident) || actor.role.is_agency();
    Ok(docs
        .into_iter()
        .filter(|d| d.claim_id.is_none() || medical_ok)
        .collect())
}

/// Opens a document: its content type and bytes, if the actor may see a
/// household it belongs to; `Forbidden` if it exists but is not theirs.
pub async fn open(
    db: &Db,
    store: &Store,
    actor: &Actor,
    sha256: &str,
) -> Result<(String, Vec<u8>)> {
    let sha256 = sha256.trim().to_ascii_lowercase();
    if !is_sha256(&sha256) {
        return Err(Error::NotFound);
    }
    let content_type = match visible(db, actor, &sha256).await?.into_iter().next() {
        Some(doc) => Some(doc.content_type),
        // A photo brought with a new household's pre-registration, before
        // the household exists: the applicant and the office chosen.
        None => crate::applications::document_visible(db, actor, &sha256).await?,
    };
    let Some(content_type) = content_type else {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT id FROM documents WHERE sha256 = $1 LIMIT 1")
                .bind(&sha256)
                .fetch_optional(&db.pool)
                .await?;
        let known = match known {
            Some(k) => Some(k),
            None => {
                sqlx::query_scalar(
                    "SELECT id FROM household_application_documents WHERE sha256 = $1 LIMIT 1",
                )
                .bind(&sha256)
                .fetch_optional(&db.pool)
                .await?
            }
        };
        return Err(if known.is_some() {
            Error::Forbidden
        } else {
            Error::NotFound
        });
    };
    let (store, sha) = (store.clone(), sha256.clone());
    let bytes = tokio::task::spawn_blocking(move || store.get(&sha))
        .await?
        .map_err(|e| Error::Database(sqlx::Error::Io(e)))?
        .ok_or(Error::NotFound)?;
    Ok((content_type, bytes))
}

/// The documents brought for pre-registered members, oldest first.
pub async fn of_members(db: &Db, member_ids: &[i64]) -> Result<Vec<Document>> {
    if member_ids.is_empty() {
        return Ok(vec![]);
    }
    let list: Vec<String> = (1..=member_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {COLS} FROM documents d WHERE d.pre_registration_member_id IN ({}) ORDER BY d.id",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in member_ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&db.pool).await?;
    Ok(rows.iter().map(from_row).collect::<sqlx::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 2, 0, 0, 0]);
        b
    }

    fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        // Start of frame (baseline): length, precision, height, width, …
        b.extend([0xFF, 0xC0, 0, 17, 8]);
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        b
    }

    fn code(r: Result<&'static str>) -> &'static str {
        r.map_err(|e| e.code()).err().unwrap_or("ok")
    }

    #[test]
    fn headers_give_the_declared_pixels() {
        assert_eq!(
            dimensions(&png(4032, 3024), "image/png"),
            Some((4032, 3024))
        );
        assert_eq!(
            dimensions(&jpeg(4000, 3000), "image/jpeg"),
            Some((4000, 3000))
        );
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend([0xFF, 0xFF, 0, 0x0F, 0, 0]);
        assert_eq!(dimensions(&webp, "image/webp"), Some((65536, 16)));
        // Truncated or headerless: nothing to say, and no panic.
        assert_eq!(dimensions(&png(1, 1)[..18], "image/png"), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF], "image/jpeg"), None);
        assert_eq!(dimensions(b"%PDF-1.4", "application/pdf"), None);
    }

    #[test]
    fn an_image_declaring_enormous_pixels_is_refused() {
        let max = 10 * 1024 * 1024;
        assert_eq!(code(check(&png(4032, 3024), max)), "ok");
        assert_eq!(code(check(&jpeg(4000, 3000), max)), "ok");
        assert_eq!(code(check(&png(65_535, 65_535), max)), "document_pixels");
        assert_eq!(code(check(&jpeg(65_535, 65_535), max)), "document_pixels");
        let e = check(&png(100_000, 100_000), max).unwrap_err();
        assert_eq!(e.status(), 413);
    }

    #[test]
    fn no_file_is_not_called_not_an_image() {
        assert_eq!(code(check(b"", 100)), "document_missing");
        assert_eq!(code(check(b"plain text", 100)), "document_type");
        assert_eq!(code(check(&png(1, 1), 10)), "document_too_large");
    }

    #[test]
    fn a_file_lying_about_its_type_gets_its_own_refusal() {
        let pdf = b"%PDF-1.4\n".as_slice();
        let jpg = jpeg(10, 10);
        assert_eq!(
            claimed_type(Some("image/jpeg"), Some("a.pdf")),
            Some("image/jpeg")
        );
        assert_eq!(
            claimed_type(Some("application/octet-stream"), Some("A.JPG")),
            Some("image/jpeg")
        );
        assert_eq!(claimed_type(None, Some("scan")), None);
        let lie = claimed_type(None, Some("photo.jpg"));
        assert_eq!(
            check_claim(pdf, lie).map_err(|e| e.code()),
            Err("document_type_mismatch")
        );
        assert!(check_claim(&jpg, lie).is_ok());
        assert!(check_claim(pdf, claimed_type(None, Some("scan.pdf"))).is_ok());
        // Claiming nothing in particular, or bytes of no accepted type: left to `check`.
        assert!(check_claim(pdf, None).is_ok());
        assert!(check_claim(b"text", lie).is_ok());
    }
}
