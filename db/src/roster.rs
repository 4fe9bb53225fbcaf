//! School rosters: a school agent checks and imports a file of pupils (CSV or
//! XLSX) for a policy year. Pupils of any age and hukou enrol as students
//! through their school (E4, E9); a pupil who graduates or leaves stops being
//! the school's (E17).
//!
//! Every row is checked (fields, identity number, duplicates in the file, the
//! person's enrolment elsewhere, the policy engine's quote) and the report
//! lists each bad row with its reason codes, which the app turns into the
//! user's language. A dry run writes only its report; an import writes every
//! good row in one transaction, with the audit entries of the single-person
//! path (`person.create`, `enrolment.register`) and one `roster.import` entry
//! for the batch. A row whose pupil this school already enrolled for the year
//! is "already imported", so the same file twice changes nothing.
//!
//! Readings taken here:
//! - A row's person is found by identity number. A new person belongs to the
//!   school (no household) in the school's county. A person already known
//!   with no school joins this school; one on another school's roster, or
//!   enrolled for the year by anyone else, is a bad row.
//! - A known person recorded under another name is a bad row: the identity
//!   number or the name is mistyped, and guessing which would enrol the
//!   wrong child.
//! - The file's facts (hukou, 低保, disability, NCMS) replace the stored ones
//!   only where the file gives a value.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use policy::eligibility::{PersonFacts, Registrar};
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::enrolment::{insert_drafts, terms, Terms};
use crate::households::{insert_persons, NewPerson};
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// The largest roster file accepted.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The most pupil rows one file may hold (a large school, with room to spare).
pub const MAX_ROWS: usize = 20_000;

/// The columns a roster file may have, each with the header names accepted
/// (compared without case, spaces or underscores). Others are kept but ignored.
const COLUMNS: [(Col, &[&str]); 7] = [
    (
        Col::IdNumber,
        &["身份证号", "身份证号码", "公民身份号码", "idnumber"],
    ),
    (Col::Name, &["姓名", "name"]),
    (Col::Class, &["班级", "class"]),
    (Col::Hukou, &["户籍", "hukou"]),
    (Col::Dibao, &["低保", "dibao"]),
    (Col::Disability, &["残疾等级", "disabilitygrade"]),
    (Col::Ncms, &["新农合", "ncms"]),
];

/// The template a school fills in: the header row.
pub const TEMPLATE_CSV: &str = "身份证号,姓名,班级,户籍,低保,残疾等级,新农合\r\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    IdNumber,
    Name,
    Class,
    Hukou,
    Dibao,
    Disability,
    Ncms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Check every row and report; write no pupil.
    DryRun,
    /// Check every row and write the good ones.
    Import,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::DryRun => "dry_run",
            Mode::Import => "import",
        }
    }
}

/// A roster file as read: its header and its data rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<SourceRow>,
}

/// A data row: its row number in the file (the header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// A row that cannot be imported, with every reason found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    pub line: u32,
    pub id_number: String,
    pub name: String,
    pub reasons: Vec<String>,
    /// The row as the file had it, for the download of bad rows.
    pub cells: Vec<String>,
}

/// What a check or import found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub run_id: i64,
    pub mode: Mode,
    pub policy_year: i32,
    pub file_name: String,
    pub file_sha256: String,
    pub rows_total: i64,
    /// Rows imported; in a dry run, the rows that an import would write.
    pub rows_imported: i64,
    /// Rows whose pupil this school already enrolled for the year.
    pub rows_already: i64,
    pub header: Vec<String>,
    pub bad: Vec<BadRow>,
    /// The dry run this import was made from.
    pub from_run: Option<i64>,
    pub created_at: i64,
}

/// Why a pupil stops being the school's (E17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leaving {
    Graduated,
    Left,
}

impl Leaving {
    pub fn code(self) -> &'static str {
        match self {
            Leaving::Graduated => "graduated",
            Leaving::Left => "left",
        }
    }
    pub fn from_code(code: &str) -> Option<Leaving> {
        [Leaving::Graduated, Leaving::Left]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

// ---------------------------------------------------------------- reading

/// Reads a roster file: XLSX (first sheet) or CSV in UTF-8 (with or without
/// BOM) or GBK. Anything else, or a file over the limit, is refused whole.
pub fn read_file(bytes: &[u8]) -> Result<Table> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::Invalid("file_too_big"));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Invalid("file_empty"));
    }
    let records = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        parse_csv(&decode_text(bytes)?)
    };
    table_from_records(records)
}

/// The text of a CSV file: UTF-8 when it is valid UTF-8 (a BOM dropped),
/// else GBK, which is what Excel writes on a Chinese Windows. Text with
/// control characters is no CSV (an old .xls, a picture, a PDF).
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(Error::Invalid("file_kind"))?
            .into_owned(),
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(Error::Invalid("file_kind"));
    }
    Ok(text)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| Error::Invalid("file_kind"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(Error::Invalid("file_empty"))?
        .map_err(|_| Error::Invalid("file_kind"))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// RFC 4180 records: quoted fields may hold commas, quotes ("") and line
/// breaks. A header with tabs and no commas makes the file tab-separated.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let first_line = text.lines().next().unwrap_or("");
    let sep = if !first_line.contains(',') && first_line.contains('\t') {
        '\t'
    } else {
        ','
    };
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            c if c == sep => record.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

fn table_from_records(records: Vec<Vec<String>>) -> Result<Table> {
    let blank = |r: &Vec<String>| r.iter().all(|c| c.trim().is_empty());
    let mut numbered = records.into_iter().zip(1u32..).filter(|(r, _)| !blank(r));
    let (header, _) = numbered.next().ok_or(Error::Invalid("file_empty"))?;
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let cols = columns(&header);
    if !cols.contains_key(&Col::IdNumber) || !cols.contains_key(&Col::Name) {
        return Err(Error::Invalid("file_header"));
    }
    let rows: Vec<SourceRow> = numbered
        .map(|(cells, line)| SourceRow { line, cells })
        .collect();
    if rows.is_empty() {
        return Err(Error::Invalid("file_empty"));
    }
    if rows.len() > MAX_ROWS {
        return Err(Error::Invalid("file_too_many_rows"));
    }
    Ok(Table { header, rows })
}

fn columns(header: &[String]) -> HashMap<Col, usize> {
    let norm = |s: &str| -> String {
        s.trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut found = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = norm(h);
        if let Some((col, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&h.as_str()))
        {
            found.entry(*col).or_insert(i);
        }
    }
    found
}

// ---------------------------------------------------------------- checking

/// The facts a row states; `None` where the file leaves the cell empty.
#[derive(Debug, Clone, Default)]
struct RowFacts {
    migrant: Option<bool>,
    dibao: Option<bool>,
    disability: Option<Option<u8>>,
    ncms: Option<bool>,
}

/// A row that passed the checks needing no database.
#[derive(Debug, Clone)]
struct Candidate {
    id: policy::idcard::IdNumber,
    name: String,
    class: Option<String>,
    facts: RowFacts,
}

fn yes_no(s: &str) -> Option<Option<bool>> {
    match s.trim().to_lowercase().as_str() {
        "" => Some(None),
        "是" | "有" | "y" | "yes" | "1" | "true" => Some(Some(true)),
        "否" | "无" | "n" | "no" | "0" | "false" => Some(Some(false)),
        _ => None,
    }
}

/// Checks one row on its own: required fields, identity number, values.
fn precheck(
    cols: &HashMap<Col, usize>,
    row: &SourceRow,
) -> std::result::Result<Candidate, Vec<&'static str>> {
    let cell = |c: Col| -> &str {
        cols.get(&c)
            .and_then(|i| row.cells.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    };
    let mut bad = Vec::new();
    let id = match cell(Col::IdNumber) {
        "" => {
            bad.push("missing_id_number");
            None
        }
        raw => match policy::idcard::check(raw) {
            Ok(id) => Some(id),
            Err(e) => {
                bad.push(id_code(e.code()));
                None
            }
        },
    };
    let name = cell(Col::Name).to_owned();
    if name.is_empty() {
        bad.push("missing_name");
    }
    let mut facts = RowFacts::default();
    match cell(Col::Hukou) {
        "" => {}
        h => match h.to_lowercase().as_str() {
            "本地" | "城镇" | "local" => facts.migrant = Some(false),
            "外来" | "农民工子女" | "migrant" => facts.migrant = Some(true),
            _ => bad.push("bad_hukou"),
        },
    }
    match (yes_no(cell(Col::Dibao)), yes_no(cell(Col::Ncms))) {
        (Some(d), Some(n)) => {
            facts.dibao = d;
            facts.ncms = n;
        }
        _ => bad.push("bad_yes_no"),
    }
    match cell(Col::Disability) {
        "" => {}
        "无" | "0" | "none" => facts.disability = Some(None),
        g => match g.parse::<u8>() {
            Ok(g @ 1..=4) => facts.disability = Some(Some(g)),
            _ => bad.push("bad_disability_grade"),
        },
    }
    match id {
        Some(id) if bad.is_empty() => {
            let class = Some(cell(Col::Class).to_owned()).filter(|c| !c.is_empty());
            Ok(Candidate {
                id,
                name,
                class,
                facts,
            })
        }
        _ => Err(bad),
    }
}

/// The app's codes for identity-number errors (as on the single-person form).
fn id_code(code: &str) -> &'static str {
    match code {
        "bad_length" => "id:bad_length",
        "bad_character" => "id:bad_character",
        "bad_birth_date" => "id:bad_birth_date",
        "bad_region" => "id:bad_region",
        _ => "id:bad_checksum",
    }
}

/// The person's facts after this row: the stored ones (if any), in school,
/// and whatever the row states.
fn facts_after(stored: Option<&str>, c: &Candidate) -> Result<(Value, PersonFacts)> {
    let mut f: Value = match stored {
        Some(s) => serde_json::from_str(s).map_err(|_| Error::Invalid("person_facts"))?,
        None => json!({
            "employee_insured": false, "flexible_employment": false, "ncms_enrolled": false,
            "migrant_worker_child": false, "dibao": false, "disability_grade": null,
            "low_income_household": false, "hukou_moved_in_year": null,
        }),
    };
    let obj = f.as_object_mut().ok_or(Error::Invalid("person_facts"))?;
    obj.insert("id_number".into(), json!(c.id.number));
    obj.insert("birth_date".into(), json!(c.id.birth_date));
    obj.insert("sex".into(), json!(c.id.sex));
    obj.insert("in_school".into(), json!(true));
    if let Some(m) = c.facts.migrant {
        obj.insert("migrant_worker_child".into(), json!(m));
    }
    if let Some(d) = c.facts.dibao {
        obj.insert("dibao".into(), json!(d));
    }
    if let Some(n) = c.facts.ncms {
        obj.insert("ncms_enrolled".into(), json!(n));
    }
    if let Some(g) = c.facts.disability {
        obj.insert("disability_grade".into(), json!(g));
    }
    let person: PersonFacts =
        serde_json::from_value(f.clone()).map_err(|_| Error::Invalid("person_facts"))?;
    Ok((f, person))
}

/// What the database knows of a row's person.
struct Known {
    person_id: i64,
    name: String,
    school_code: Option<String>,
    facts_json: String,
    /// The organisation that enrolled the person for the year, if any.
    enrolled_by: Option<String>,
}

async fn lookup(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    policy_year: i32,
    ids: &[&str],
) -> Result<HashMap<String, Known>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT p.id, p.id_number, p.name, p.school_code, p.facts_json, e.registrar_org
             FROM persons p LEFT JOIN enrolments e ON e.person_id = p.id AND e.policy_year = $1
             WHERE p.id_number IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(i64::from(policy_year));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut **tx).await? {
            out.insert(
                r.try_get::<String, _>("id_number")?,
                Known {
                    person_id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    school_code: r.try_get("school_code")?,
                    facts_json: r.try_get("facts_json")?,
                    enrolled_by: r.try_get("registrar_org")?,
                },
            );
        }
    }
    Ok(out)
}

/// A good row, ready to write.
struct Good {
    candidate: Candidate,
    facts: Value,
    terms: Terms,
    /// The known person who joins this school; a new person if `None`.
    joins: Option<(i64, Option<String>, String)>,
}

enum Verdict {
    Write(Box<Good>),
    Already,
    Bad(Vec<&'static str>),
}

fn judge(
    rules: &Rules,
    school: &str,
    policy_year: i32,
    c: Candidate,
    known: Option<&Known>,
) -> Result<Verdict> {
    if let Some(k) = known {
        if k.name != c.name {
            return Ok(Verdict::Bad(vec!["name_differs"]));
        }
        match k.enrolled_by.as_deref() {
            Some(org) if org == school => return Ok(Verdict::Already),
            Some(_) => return Ok(Verdict::Bad(vec!["enrolled_elsewhere"])),
            None => {}
        }
        if k.school_code.as_deref().is_some_and(|s| s != school) {
            return Ok(Verdict::Bad(vec!["pupil_of_other_school"]));
        }
    }
    let (facts, person) = facts_after(known.map(|k| k.facts_json.as_str()), &c)?;
    let terms = match terms(rules, policy_year, &person, Registrar::School) {
        Ok(t) => t,
        Err(Error::Invalid(code)) => return Ok(Verdict::Bad(vec![code])),
        Err(e) => return Err(e),
    };
    Ok(Verdict::Write(Box::new(Good {
        candidate: c,
        facts,
        terms,
        joins: known.map(|k| (k.person_id, k.school_code.clone(), k.facts_json.clone())),
    })))
}

fn school_of(actor: &Actor) -> Result<String> {
    if actor.role != Role::SchoolAgent {
        return Err(Error::Forbidden);
    }
    actor.org_code.clone().ok_or(Error::Forbidden)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

// ---------------------------------------------------------------- services

/// Checks a roster file and, in `Mode::Import`, writes its good rows; either
/// way the report is kept and returned. A file that cannot be read is
/// refused whole (`file_too_big`, `file_kind`, `file_empty`, `file_header`,
/// `file_too_many_rows`) and nothing is written.
pub async fn run(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    policy_year: i32,
    file_name: &str,
    bytes: &[u8],
    mode: Mode,
) -> Result<Report> {
    let school = school_of(actor)?;
    rules
        .year(policy_year)
        .map_err(|_| Error::Invalid("unknown_year"))?;
    let table = read_file(bytes)?;
    let sha = sha256_hex(bytes);
    let name: String = file_name.trim().chars().take(200).collect();
    process(
        db,
        rules,
        actor,
        &school,
        policy_year,
        &name,
        &sha,
        table,
        mode,
        None,
    )
    .await
}

/// Imports the file a dry run checked, without uploading it again. The rows
/// are checked anew: what changed since the dry run counts.
pub async fn import_checked(db: &Db, rules: &Rules, actor: &Actor, dry_run: i64) -> Result<Report> {
    let school = school_of(actor)?;
    let row = sqlx::query(
        "SELECT school_code, policy_year, mode, file_name, file_sha256, rows_json FROM roster_imports WHERE id = $1",
    )
    .bind(dry_run)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    if row.try_get::<String, _>("school_code")? != school {
        return Err(Error::Forbidden);
    }
    let rows_json: Option<String> = row.try_get("rows_json")?;
    let (Some(rows_json), "dry_run") = (rows_json, row.try_get::<String, _>("mode")?.as_str())
    else {
        return Err(Error::Invalid("wrong_status"));
    };
    let table: Table = serde_json::from_str(&rows_json)
        .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?;
    let year: i64 = row.try_get("policy_year")?;
    let year = i32::try_from(year).map_err(|_| Error::Invalid("policy_year"))?;
    let name: String = row.try_get("file_name")?;
    let sha: String = row.try_get("file_sha256")?;
    process(
        db,
        rules,
        actor,
        &school,
        year,
        &name,
        &sha,
        table,
        Mode::Import,
        Some(dry_run),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn process(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    school: &str,
    policy_year: i32,
    file_name: &str,
    sha: &str,
    table: Table,
    mode: Mode,
    from_run: Option<i64>,
) -> Result<Report> {
    let cols = columns(&table.header);
    let mut seen: HashSet<String> = HashSet::new();
    let mut checked: Vec<(usize, std::result::Result<Candidate, Vec<&'static str>>)> = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let mut result = precheck(&cols, row);
        if let Ok(c) = &result {
            // The first row of an identity number stands; later ones are the duplicates.
            if !seen.insert(c.id.number.clone()) {
                result = Err(vec!["duplicate_in_file"]);
            }
        }
        checked.push((i, result));
    }
    let county = crate::orgs::get(db, school)
        .await?
        .and_then(|o| o.county_code)
        .ok_or(Error::Invalid("org_county"))?;

    let mut tx = db.begin_write().await?;
    // Imports of one school queue here, so two uploads of the same file at
    // once write each pupil once (SQLite's BEGIN IMMEDIATE already queues).
    sqlx::query("UPDATE org_units SET kind = kind WHERE code = $1")
        .bind(school)
        .execute(&mut *tx)
        .await?;
    let ids: Vec<&str> = checked
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().map(|c| c.id.number.as_str()))
        .collect();
    let known = lookup(&mut tx, policy_year, &ids).await?;

    let mut bad = Vec::new();
    let mut good = Vec::new();
    let mut already = 0i64;
    for (i, result) in checked {
        let source = &table.rows[i];
        let verdict = match result {
            Err(codes) => Verdict::Bad(codes),
            Ok(c) => {
                let k = known.get(&c.id.number);
                judge(rules, school, policy_year, c, k)?
            }
        };
        match verdict {
            Verdict::Write(g) => good.push(g),
            Verdict::Already => already += 1,
            Verdict::Bad(codes) => {
                let cell = |c: Col| {
                    cols.get(&c)
                        .and_then(|i| source.cells.get(*i))
                        .map(|s| s.trim().to_owned())
                        .unwrap_or_default()
                };
                bad.push(BadRow {
                    line: source.line,
                    id_number: cell(Col::IdNumber),
                    name: cell(Col::Name),
                    reasons: codes.into_iter().map(String::from).collect(),
                    cells: source.cells.clone(),
                });
            }
        }
    }

    let mut changes: Vec<Change<'static>> = Vec::new();
    if mode == Mode::Import {
        let new_people: Vec<NewPerson<'_>> = good
            .iter()
            .filter(|g| g.joins.is_none())
            .map(|g| NewPerson {
                id_number: &g.candidate.id.number,
                name: &g.candidate.name,
                household_id: None,
                school_code: Some(school),
                school_class: g.candidate.class.as_deref(),
                county_code: &county,
                facts: &g.facts,
            })
            .collect();
        let mut created = insert_persons(&mut tx, actor.user_id, &new_people)
            .await?
            .into_iter();
        let mut drafts: Vec<(i64, &Terms)> = Vec::with_capacity(good.len());
        for g in &good {
            let person_id = match &g.joins {
                None => {
                    let (pid, change) = created.next().ok_or(Error::NotFound)?;
                    changes.push(change);
                    pid
                }
                Some((pid, before_school, before_facts)) => {
                    changes.push(
                        join_school(&mut tx, *pid, school, g, before_school, before_facts).await?,
                    );
                    *pid
                }
            };
            drafts.push((person_id, &g.terms));
        }
        for (_, change) in insert_drafts(&mut tx, actor, school, policy_year, &drafts).await? {
            changes.push(change);
        }
    }

    let imported = i64::try_from(good.len()).unwrap_or(i64::MAX);
    let total = i64::try_from(table.rows.len()).unwrap_or(i64::MAX);
    let bad_count = i64::try_from(bad.len()).unwrap_or(i64::MAX);
    let report_json = json!({"header": table.header, "bad": bad}).to_string();
    let rows_json = match mode {
        Mode::DryRun => {
            Some(serde_json::to_string(&table).map_err(|_| Error::Invalid("file_kind"))?)
        }
        Mode::Import => None,
    };
    let created_at = now_ms();
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO roster_imports (school_code, policy_year, mode, file_name, file_sha256, rows_total, rows_imported,
             rows_already, rows_bad, report_json, rows_json, from_run, actor_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(school)
    .bind(i64::from(policy_year))
    .bind(mode.code())
    .bind(file_name)
    .bind(sha)
    .bind(total)
    .bind(imported)
    .bind(already)
    .bind(bad_count)
    .bind(&report_json)
    .bind(rows_json)
    .bind(from_run)
    .bind(actor.user_id)
    .bind(created_at)
    .fetch_one(&mut *tx)
    .await?;
    if !changes.is_empty() {
        changes.push(Change {
            action: "roster.import",
            entity: "roster_import",
            entity_id: run_id.to_string(),
            before: None,
            after: Some(json!({
                "school_code": school, "policy_year": policy_year, "file_name": file_name, "file_sha256": sha,
                "rows_total": total, "rows_imported": imported, "rows_already": already, "rows_bad": bad_count,
            })),
        });
        audit::record_many(&mut tx, By::User(actor), changes).await?;
    }
    tx.commit().await?;
    Ok(Report {
        run_id,
        mode,
        policy_year,
        file_name: file_name.to_owned(),
        file_sha256: sha.to_owned(),
        rows_total: total,
        rows_imported: imported,
        rows_already: already,
        header: table.header,
        bad,
        from_run,
        created_at,
    })
}

/// A known person without a school joins this one, in school from now on.
async fn join_school(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    person_id: i64,
    school: &str,
    g: &Good,
    before_school: &Option<String>,
    before_facts: &str,
) -> Result<Change<'static>> {
    let changed = sqlx::query(
        "UPDATE persons SET school_code = $1, school_class = $2, facts_json = $3
         WHERE id = $4 AND (school_code IS NULL OR school_code = $1)",
    )
    .bind(school)
    .bind(g.candidate.class.as_deref())
    .bind(g.facts.to_string())
    .bind(person_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(Error::Conflict("pupil_of_other_school"));
    }
    let before_facts: Value = serde_json::from_str(before_facts).unwrap_or(Value::Null);
    Ok(Change {
        action: "person.join_school",
        entity: "person",
        entity_id: person_id.to_string(),
        before: Some(json!({"school_code": before_school, "facts": before_facts})),
        after: Some(
            json!({"school_code": school, "school_class": g.candidate.class, "facts": g.facts}),
        ),
    })
}

/// A report kept earlier, for the school that made it.
pub async fn report(db: &Db, actor: &Actor, run_id: i64) -> Result<Report> {
    let school = school_of(actor)?;
    let r = sqlx::query(
        "SELECT id, school_code, policy_year, mode, file_name, file_sha256, rows_total, rows_imported, rows_already,
                report_json, from_run, created_at
         FROM roster_imports WHERE id = $1",
    )
    .bind(run_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    if r.try_get::<String, _>("school_code")? != school {
        return Err(Error::Forbidden);
    }
    #[derive(Deserialize)]
    struct Stored {
        header: Vec<String>,
        bad: Vec<BadRow>,
    }
    let decode = |e: serde_json::Error| Error::Database(sqlx::Error::Decode(Box::new(e)));
    let stored: Stored =
        serde_json::from_str(&r.try_get::<String, _>("report_json")?).map_err(decode)?;
    let mode = match r.try_get::<String, _>("mode")?.as_str() {
        "import" => Mode::Import,
        _ => Mode::DryRun,
    };
    let year: i64 = r.try_get("policy_year")?;
    Ok(Report {
        run_id: r.try_get("id")?,
        mode,
        policy_year: i32::try_from(year).map_err(|_| Error::Invalid("policy_year"))?,
        file_name: r.try_get("file_name")?,
        file_sha256: r.try_get("file_sha256")?,
        rows_total: r.try_get("rows_total")?,
        rows_imported: r.try_get("rows_imported")?,
        rows_already: r.try_get("rows_already")?,
        header: stored.header,
        bad: stored.bad,
        from_run: r.try_get("from_run")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The bad rows as a CSV the school can fix and upload again: the file's own
/// columns, then the reasons (`reason_header`, each code through
/// `reason_text`). UTF-8 with a BOM, so Excel opens the Chinese right; the
/// reason column is ignored when the file comes back.
pub fn bad_rows_csv(
    report: &Report,
    reason_header: &str,
    reason_text: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |cells: &mut dyn Iterator<Item = String>| {
        let fields: Vec<String> = cells.map(|c| csv_field(&c)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    let width = report.header.len();
    line(
        &mut report
            .header
            .iter()
            .cloned()
            .chain([reason_header.to_owned()]),
    );
    for b in &report.bad {
        let reasons: Vec<String> = b.reasons.iter().map(|c| reason_text(c)).collect();
        let mut cells = b.cells.clone();
        cells.resize(width.max(cells.len()), String::new());
        line(&mut cells.into_iter().chain([reasons.join("；")]));
    }
    out
}

/// One CSV field: quoted when it needs it, a leading formula sign defused.
pub(crate) fn csv_field(s: &str) -> String {
    // A leading = + - @ would run as a formula in a spreadsheet.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A pupil graduates or leaves (E17): they stop being the school's, so the
/// school no longer sees them or enrols them for a later year; the
/// enrolments already made stand. Audited with the reason.
pub async fn mark_left(
    db: &Db,
    actor: &Actor,
    id_number: &str,
    leaving: Leaving,
    today: chrono::NaiveDate,
) -> Result<()> {
    let school = school_of(actor)?;
    let id = policy::idcard::check(id_number).map_err(|e| Error::Invalid(id_code(e.code())))?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT id, school_class, facts_json FROM persons WHERE id_number = $1 AND school_code = $2",
    )
    .bind(&id.number)
    .bind(&school)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::Invalid("not_our_pupil"))?;
    let person_id: i64 = row.try_get("id")?;
    let class: Option<String> = row.try_get("school_class")?;
    let mut facts: Value = serde_json::from_str(&row.try_get::<String, _>("facts_json")?)
        .map_err(|_| Error::Invalid("person_facts"))?;
    if let Some(obj) = facts.as_object_mut() {
        obj.insert("in_school".into(), json!(false));
    }
    sqlx::query(
        "UPDATE persons SET school_code = NULL, school_class = NULL, facts_json = $1 WHERE id = $2 AND school_code = $3",
    )
    .bind(facts.to_string())
    .bind(person_id)
    .bind(&school)
    .execute(&mut *tx)
    .await?;
    // The school's drafts for the leaver's later years would hold the
    // (person, year) slot their office now needs: they go, each with its
    // audit entry. This year's enrolment stands, whatever its state.
    let drafts: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT e.id, e.policy_year, e.personal_fen FROM enrolments e
         WHERE e.person_id = $1 AND e.registrar_org = $2 AND e.status = 'draft' AND e.policy_year > $3
           AND NOT EXISTS (SELECT 1 FROM pre_registration_members m WHERE m.enrolment_id = e.id)",
    )
    .bind(person_id)
    .bind(&school)
    .bind(i64::from(chrono::Datelike::year(&today)))
    .fetch_all(&mut *tx)
    .await?;
    for (enrolment, year, personal) in &drafts {
        sqlx::query("DELETE FROM evidence WHERE enrolment_id = $1")
            .bind(enrolment)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM enrolments WHERE id = $1 AND status = 'draft'")
            .bind(enrolment)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            By::User(actor),
            Change {
                action: "enrolment.withdraw",
                entity: "enrolment",
                entity_id: enrolment.to_string(),
                before: Some(json!({"status": "draft", "policy_year": year, "personal_fen": personal, "person_id": person_id})),
                after: Some(json!({"reason": leaving.code()})),
            },
        )
        .await?;
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "person.leave_school",
            entity: "person",
            entity_id: person_id.to_string(),
            before: Some(json!({"school_code": school, "school_class": class, "in_school": true})),
            after: Some(json!({"school_code": null, "in_school": false, "reason": leaving.code()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
