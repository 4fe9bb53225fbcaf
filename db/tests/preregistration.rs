//! The document store and residents' pre-registration, the same body on
//! SQLite and on PostgreSQL: documents named by their hash, stored once,
//! checked by content and size with nothing written on refusal, opened only
//! within scope; a resident's entry completed by the office into an
//! enrolment that carries the photos' hashes, approved by the agency; the
//! office's corrections audited.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::id;

use std::path::PathBuf;
use std::sync::Arc;

use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::documents::{self, LocalFolder, Purpose, Store};
use db::households::Circumstances;
use db::preregistration::{self, NewDocument, NewMember};
use db::scope::Role;
use db::{Db, Error};

const PW: &str = "correct horse";
const YEAR: i32 = 2009;
const LIMIT: usize = 64 * 1024;

/// A tiny PNG: the signature and an IHDR chunk are all the sniffing reads.
fn png(seed: u8) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, seed,
    ]);
    b
}

fn jpeg(seed: u8) -> Vec<u8> {
    vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, seed, 0xFF, 0xD9,
    ]
}

struct World {
    store: Store,
    folder: PathBuf,
    h_a: i64,
    h_b: i64,
}

/// Two counties with an office each, a household in each office, a resident
/// account per household, office agents, reviewers per county.
async fn world(db: &Db) -> World {
    let sys = || By::System("test");
    common::orgs(
        db,
        &[
            ("CA", "county_agency", "152201"),
            ("CB", "county_agency", "152222"),
            ("OA", "office", "152201"),
            ("OB", "office", "152222"),
        ],
    )
    .await;
    let h_a = db::households::create(db, sys(), "OA", "A-1", "A street")
        .await
        .unwrap();
    let h_b = db::households::create(db, sys(), "OB", "B-1", "B street")
        .await
        .unwrap();
    let accounts: [(&str, Role, Option<&str>, Option<i64>); 7] = [
        ("res_a", Role::Resident, None, Some(h_a)),
        ("res_b", Role::Resident, None, Some(h_b)),
        ("off_a", Role::OfficeAgent, Some("OA"), None),
        ("off_b", Role::OfficeAgent, Some("OB"), None),
        ("rev_a", Role::AgencyReviewer, Some("CA"), None),
        ("rev_b", Role::AgencyReviewer, Some("CB"), None),
        ("rev_a2", Role::AgencyReviewer, Some("CA"), None),
    ];
    for (u, role, org, household_id) in accounts {
        db::accounts::create_user(
            db,
            sys(),
            NewUser {
                username: u.into(),
                display_name: u.into(),
                password: PW.into(),
                role,
                org_code: org.map(Into::into),
                household_id,
            },
        )
        .await
        .unwrap();
    }
    let folder = std::env::temp_dir().join(format!(
        "portal_docs_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    World {
        store: Arc::new(LocalFolder::new(&folder)),
        folder,
        h_a,
        h_b,
    }
}

async fn actor(db: &Db, username: &str) -> db::Actor {
    match db::accounts::login(db, username, PW, "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("{username} could not log in: {other:?}"),
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

/// Every file under the store's folder (temporary files included).
fn files(folder: &PathBuf) -> Vec<PathBuf> {
    let Ok(dirs) = std::fs::read_dir(folder) else {
        return vec![];
    };
    dirs.flatten()
        .flat_map(|d| {
            std::fs::read_dir(d.path())
                .unwrap()
                .flatten()
                .map(|f| f.path())
        })
        .collect()
}

fn purpose(household_id: i64, code: &str) -> Purpose {
    Purpose {
        household_id,
        evidence_code: Some(code.into()),
        ..Default::default()
    }
}

/// Same bytes, same name, one file and one row; the bytes come back as stored.
async fn store_is_content_addressed(db: Db) {
    let w = world(&db).await;
    let res_a = actor(&db, "res_a").await;
    let bytes = png(1);
    let first = documents::upload(
        &db,
        &w.store,
        &res_a,
        &purpose(w.h_a, "id_card"),
        bytes.clone(),
        LIMIT,
    )
    .await
    .unwrap();
    assert_eq!(first.sha256, documents::sha256_hex(&bytes));
    assert_eq!(
        (first.content_type.as_str(), first.size_bytes),
        ("image/png", bytes.len() as i64)
    );
    let again = documents::upload(
        &db,
        &w.store,
        &res_a,
        &purpose(w.h_a, "id_card"),
        bytes.clone(),
        LIMIT,
    )
    .await
    .unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents").await, 1);
    let on_disk = files(&w.folder);
    assert_eq!(on_disk.len(), 1, "{on_disk:?}");
    assert!(on_disk[0].ends_with(format!("{}/{}", &first.sha256[..2], first.sha256)));
    assert_eq!(w.store.get(&first.sha256).unwrap(), Some(bytes.clone()));
    assert_eq!(w.store.get(&documents::sha256_hex(b"other")).unwrap(), None);
    let (ct, back) = documents::open(&db, &w.store, &res_a, &first.sha256)
        .await
        .unwrap();
    assert_eq!((ct.as_str(), back), ("image/png", bytes));
    let audit = db::audit::history(&db, "document", &first.id.to_string())
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "document.upload");
    // A JPEG is recognised as one, whatever it is called.
    let j = documents::upload(
        &db,
        &w.store,
        &res_a,
        &purpose(w.h_a, "photo"),
        jpeg(1),
        LIMIT,
    )
    .await
    .unwrap();
    assert_eq!(j.content_type, "image/jpeg");
}
both!(store_is_content_addressed_story, store_is_content_addressed);

/// A text file (whatever its name) and an oversize photo are refused with
/// their codes, leaving no row and no file.
async fn bad_uploads_write_nothing(db: Db) {
    let w = world(&db).await;
    let res_a = actor(&db, "res_a").await;
    let text = b"this is a text file renamed to id-card.jpg".to_vec();
    let e = documents::upload(
        &db,
        &w.store,
        &res_a,
        &purpose(w.h_a, "id_card"),
        text,
        LIMIT,
    )
    .await
    .unwrap_err();
    assert!(e.code() == "document_type", "{e:?}");
    let mut big = png(2);
    big.resize(LIMIT + 1, 0);
    let e = documents::upload(
        &db,
        &w.store,
        &res_a,
        &purpose(w.h_a, "id_card"),
        big,
        LIMIT,
    )
    .await
    .unwrap_err();
    assert!(e.code() == "document_too_large", "{e:?}");
    // Exactly at the limit is accepted.
    let mut edge = png(3);
    edge.resize(LIMIT, 0);
    assert!(documents::check(&edge, LIMIT).is_ok());
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'document.upload'"
        )
        .await,
        0
    );
    assert!(files(&w.folder).is_empty());

    // A pre-registration with one good and one bad photo writes nothing at all.
    let e = preregistration::add_member(
        &db,
        &w.store,
        &policy::params::Rules::try_builtin().unwrap(),
        &res_a,
        &NewMember {
            policy_year: YEAR,
            id_number: id("15220119400315011"),
            name: "老甲".into(),
            circumstances: Circumstances::default(),
        },
        vec![
            NewDocument {
                evidence_code: "id_card".into(),
                bytes: png(4),
            },
            NewDocument {
                evidence_code: "household_register".into(),
                bytes: b"%PD not a pdf".to_vec(),
            },
        ],
        LIMIT,
    )
    .await
    .unwrap_err();
    assert!(e.code() == "document_type", "{e:?}");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pre_registration_members").await,
        0
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pre_registrations").await,
        0
    );
    assert!(files(&w.folder).is_empty());
}
both!(bad_uploads_write_nothing_story, bad_uploads_write_nothing);

/// The household's resident, its office and its county's agency open a
/// document; another household's resident, another county's office and
/// reviewer are refused (forbidden, not "not found"); an unknown hash is not found.
async fn documents_open_within_scope(db: Db) {
    let w = world(&db).await;
    let res_a = actor(&db, "res_a").await;
    let doc = documents::upload(
        &db,
        &w.store,
        &res_a,
        &purpose(w.h_a, "id_card"),
        png(5),
        LIMIT,
    )
    .await
    .unwrap();
    for who in ["res_a", "off_a", "rev_a"] {
        let a = actor(&db, who).await;
        assert!(
            documents::open(&db, &w.store, &a, &doc.sha256)
                .await
                .is_ok(),
            "{who}"
        );
    }
    for who in ["res_b", "off_b", "rev_b"] {
        let a = actor(&db, who).await;
        let e = documents::open(&db, &w.store, &a, &doc.sha256)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Forbidden), "{who}: {e:?}");
    }
    let e = documents::open(
        &db,
        &w.store,
        &res_a,
        &documents::sha256_hex(b"never stored"),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::NotFound), "{e:?}");
    // Nobody uploads into another household, and reviewers upload nothing.
    let res_b = actor(&db, "res_b").await;
    let e = documents::upload(
        &db,
        &w.store,
        &res_b,
        &purpose(w.h_a, "id_card"),
        png(6),
        LIMIT,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let rev_a = actor(&db, "rev_a").await;
    let e = documents::upload(
        &db,
        &w.store,
        &rev_a,
        &purpose(w.h_a, "id_card"),
        png(6),
        LIMIT,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let _ = w.h_b;
}
both!(
    documents_open_within_scope_story,
    documents_open_within_scope
);

/// A resident pre-registers a 低保 elder with photos; another county's office
/// sees nothing; the household's office corrects a fact (audited), completes
/// the member into a submitted enrolment whose evidence carries the photos'
/// hashes; the office cannot decide it; a reviewer of the county approves.
async fn preregistration_to_approval(db: Db) {
    let w = world(&db).await;
    let rules = policy::params::Rules::try_builtin().unwrap();
    let res_a = actor(&db, "res_a").await;
    let off_a = actor(&db, "off_a").await;
    let off_b = actor(&db, "off_b").await;
    let rev_a = actor(&db, "rev_a").await;
    let elder = id("15220119500501022");

    // Bad identity numbers get their own codes and write nothing.
    for (bad, code) in [
        (format!("{}0", &elder[..17]), "id:bad_checksum"),
        (id("15220119501301022"), "id:bad_birth_date"),
    ] {
        let e = preregistration::add_member(
            &db,
            &w.store,
            &rules,
            &res_a,
            &NewMember {
                policy_year: YEAR,
                id_number: bad.clone(),
                name: "低乙".into(),
                circumstances: Circumstances::default(),
            },
            vec![NewDocument {
                evidence_code: "id_card".into(),
                bytes: png(7),
            }],
            LIMIT,
        )
        .await
        .unwrap_err();
        assert!(e.code() == code, "{bad}: {e:?}");
    }
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pre_registration_members").await,
        0
    );
    assert!(files(&w.folder).is_empty());

    // The resident forgets to tick 低保 but photographs the certificate.
    let dibao_photo = jpeg(9);
    let member = preregistration::add_member(
        &db,
        &w.store,
        &rules,
        &res_a,
        &NewMember {
            policy_year: YEAR,
            id_number: elder.clone(),
            name: "低乙".into(),
            circumstances: Circumstances::default(),
        },
        vec![
            NewDocument {
                evidence_code: "id_card".into(),
                bytes: png(8),
            },
            NewDocument {
                evidence_code: "dibao_certificate".into(),
                bytes: dibao_photo.clone(),
            },
        ],
        LIMIT,
    )
    .await
    .unwrap();
    let mine = preregistration::of_household(&db, &res_a, w.h_a)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].documents.len(), 2);
    assert_eq!(mine[0].status, "pending");

    // Only the household's office sees it waiting, and only it may act on it.
    assert!(preregistration::pending(&db, &off_b)
        .await
        .unwrap()
        .is_empty());
    let e = preregistration::member(&db, &off_b, member)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let e = preregistration::complete(&db, &rules, &off_b, member)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let e = preregistration::complete(&db, &rules, &res_a, member)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let waiting = preregistration::pending(&db, &off_a).await.unwrap();
    assert_eq!(
        waiting.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![member]
    );

    // The office corrects the facts from the certificate; the audit keeps both.
    let fixed = Circumstances {
        dibao: true,
        ..Default::default()
    };
    preregistration::correct(&db, &off_a, member, "低乙", &fixed)
        .await
        .unwrap();
    let e = preregistration::correct(&db, &off_b, member, "低乙", &fixed)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let trail = db::audit::history(&db, "pre_registration_member", &member.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["preregistration.add_member", "preregistration.correct"]
    );
    let correction = &trail[1];
    assert!(correction.actor.contains("off_a"));
    assert!(correction
        .before_json
        .as_deref()
        .unwrap()
        .contains("\"dibao\":false"));
    assert!(correction
        .after_json
        .as_deref()
        .unwrap()
        .contains("\"dibao\":true"));

    let enrolment_id = preregistration::complete(&db, &rules, &off_a, member)
        .await
        .unwrap();
    let e = db::enrolment::get(&db, &off_a, enrolment_id).await.unwrap();
    assert_eq!(e.status, db::enrolment::Status::Submitted);
    assert_eq!(e.tier.code(), "adult_assisted");
    assert_eq!(e.entered_by, off_a.user_id);
    let evidence = db::enrolment::evidence(&db, &off_a, enrolment_id)
        .await
        .unwrap();
    let dibao = evidence
        .iter()
        .find(|v| v.code == "dibao_certificate")
        .unwrap();
    assert_eq!(
        dibao.sha256.as_deref(),
        Some(documents::sha256_hex(&dibao_photo).as_str())
    );
    assert_eq!(evidence.len(), 2);
    // Completing twice is refused; the member now points at its enrolment.
    let e = preregistration::complete(&db, &rules, &off_a, member)
        .await
        .unwrap_err();
    assert!(e.code() == "state_changed", "{e:?}");
    let done = preregistration::member(&db, &res_a, member).await.unwrap();
    assert_eq!(
        (done.status.as_str(), done.enrolment_id),
        ("completed", Some(enrolment_id))
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM documents WHERE person_id IS NULL"
        )
        .await,
        0
    );

    // Maker-checker: the office cannot decide; a reviewer of the county approves.
    let e = db::enrolment::approve(&db, &off_a, enrolment_id)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    db::enrolment::approve(&db, &rev_a, enrolment_id)
        .await
        .unwrap();
    assert_eq!(
        db::enrolment::get(&db, &rev_a, enrolment_id)
            .await
            .unwrap()
            .status,
        db::enrolment::Status::Approved
    );
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
}
both!(
    preregistration_to_approval_story,
    preregistration_to_approval
);

/// A member whose tier needs a certificate nobody photographed cannot be
/// completed, and the refusal writes no person and no enrolment; the office
/// correcting an existing person's facts leaves an audit entry.
async fn completion_needs_the_evidence(db: Db) {
    let w = world(&db).await;
    let rules = policy::params::Rules::try_builtin().unwrap();
    let res_a = actor(&db, "res_a").await;
    let off_a = actor(&db, "off_a").await;
    let member = preregistration::add_member(
        &db,
        &w.store,
        &rules,
        &res_a,
        &NewMember {
            policy_year: YEAR,
            id_number: id("15220119500501022"),
            name: "低乙".into(),
            circumstances: Circumstances {
                dibao: true,
                ..Default::default()
            },
        },
        vec![NewDocument {
            evidence_code: "id_card".into(),
            bytes: png(10),
        }],
        LIMIT,
    )
    .await
    .unwrap();
    let e = preregistration::complete(&db, &rules, &off_a, member)
        .await
        .unwrap_err();
    assert!(e.code() == "evidence_missing", "{e:?}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM persons").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 0);

    let pid = db::households::add_person(
        &db,
        By::System("test"),
        &id("15220119400315011"),
        "老甲",
        Some(w.h_a),
        None,
        &Circumstances::default()
            .facts_json(&id("15220119400315011"))
            .unwrap(),
    )
    .await
    .unwrap();
    let facts = Circumstances {
        low_income_household: true,
        ..Default::default()
    }
    .facts_json(&id("15220119400315011"))
    .unwrap();
    let off_b = actor(&db, "off_b").await;
    let e = db::households::update_facts(&db, &off_b, pid, &facts)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    db::households::update_facts(&db, &off_a, pid, &facts)
        .await
        .unwrap();
    let trail = db::audit::history(&db, "person", &pid.to_string())
        .await
        .unwrap();
    assert_eq!(trail.last().unwrap().action, "person.update_facts");
    assert!(trail
        .last()
        .unwrap()
        .before_json
        .as_deref()
        .unwrap()
        .contains("\"low_income_household\":false"));
}
both!(
    completion_needs_the_evidence_story,
    completion_needs_the_evidence
);
