//! Checking each row against the ID check, the file, the records and the engine, before anything is written.

use super::*;
use crate::error::{HouseholdError, InputError, Refusal, RosterError};

/// The facts a row states; `None` where the file leaves the cell empty.
#[derive(Debug, Clone, Default)]
pub(super) struct RowFacts {
    pub(super) migrant: Option<bool>,
    pub(super) dibao: Option<bool>,
    pub(super) disability: Option<Option<u8>>,
    pub(super) ncms: Option<bool>,
}

/// A row that passed the checks needing no database.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) id: policy::idcard::IdNumber,
    pub(super) name: String,
    pub(super) class: Option<String>,
    pub(super) facts: RowFacts,
}

pub(super) fn yes_no(s: &str) -> Option<Option<bool>> {
    match s.trim().to_lowercase().as_str() {
        "" => Some(None),
        "是" | "有" | "y" | "yes" | "1" | "true" => Some(Some(true)),
        "否" | "无" | "n" | "no" | "0" | "false" => Some(Some(false)),
        _ => None,
    }
}

/// Checks one row on its own: required fields, identity number, values.
pub(super) fn precheck(
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
            bad.push(RosterError::MissingIdNumber.code());
            None
        }
        raw => match policy::idcard::check(raw) {
            Ok(id) => Some(id),
            Err(e) => {
                bad.push(Refusal::Id(e).code());
                None
            }
        },
    };
    let name = cell(Col::Name).to_owned();
    if name.is_empty() {
        bad.push(RosterError::MissingName.code());
    }
    let mut facts = RowFacts::default();
    match cell(Col::Hukou) {
        "" => {}
        h => match h.to_lowercase().as_str() {
            "本地" | "城镇" | "local" => facts.migrant = Some(false),
            "外来" | "农民工子女" | "migrant" => facts.migrant = Some(true),
            _ => bad.push(RosterError::BadHukou.code()),
        },
    }
    match (yes_no(cell(Col::Dibao)), yes_no(cell(Col::Ncms))) {
        (Some(d), Some(n)) => {
            facts.dibao = d;
            facts.ncms = n;
        }
        _ => bad.push(RosterError::BadYesNo.code()),
    }
    match cell(Col::Disability) {
        "" => {}
        "无" | "0" | "none" => facts.disability = Some(None),
        g => match g.parse::<u8>() {
            Ok(g @ 1..=4) => facts.disability = Some(Some(g)),
            _ => bad.push(RosterError::BadDisabilityGrade.code()),
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

/// The person's facts after this row: the stored ones (if any), in school,
/// and whatever the row states.
pub(super) fn facts_after(stored: Option<&str>, c: &Candidate) -> Result<(Value, PersonFacts)> {
    let mut f: Value = match stored {
        Some(s) => serde_json::from_str(s).map_err(|_| Error::from(InputError::PersonFacts))?,
        None => json!({
            "employee_insured": false, "flexible_employment": false, "ncms_enrolled": false,
            "migrant_worker_child": false, "dibao": false, "disability_grade": null,
            "low_income_household": false, "hukou_moved_in_year": null,
        }),
    };
    let obj = f
        .as_object_mut()
        .ok_or(Error::from(InputError::PersonFacts))?;
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
        serde_json::from_value(f.clone()).map_err(|_| Error::from(InputError::PersonFacts))?;
    Ok((f, person))
}

/// What the database knows of a row's person.
pub(super) struct Known {
    pub(super) person_id: i64,
    pub(super) name: String,
    pub(super) school_code: Option<String>,
    pub(super) facts_json: String,
    /// The organisation that enrolled the person for the year, if any.
    pub(super) enrolled_by: Option<String>,
}

pub(super) async fn lookup(
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
pub(super) struct Good {
    pub(super) candidate: Candidate,
    pub(super) facts: Value,
    pub(super) terms: Terms,
    /// The known person who joins this school; a new person if `None`.
    pub(super) joins: Option<(i64, Option<String>, String)>,
}

pub(super) enum Verdict {
    Write(Box<Good>),
    Already,
    Bad(Vec<&'static str>),
}

pub(super) fn judge(
    rules: &Rules,
    school: &str,
    policy_year: i32,
    c: Candidate,
    known: Option<&Known>,
) -> Result<Verdict> {
    if let Some(k) = known {
        if k.name != c.name {
            return Ok(Verdict::Bad(vec![HouseholdError::NameDiffers.code()]));
        }
        match k.enrolled_by.as_deref() {
            Some(org) if org == school => return Ok(Verdict::Already),
            Some(_) => return Ok(Verdict::Bad(vec![RosterError::EnrolledElsewhere.code()])),
            None => {}
        }
        if k.school_code.as_deref().is_some_and(|s| s != school) {
            return Ok(Verdict::Bad(vec![RosterError::PupilOfOtherSchool.code()]));
        }
    }
    let (facts, person) = facts_after(known.map(|k| k.facts_json.as_str()), &c)?;
    let terms = match terms(rules, policy_year, &person, Registrar::School) {
        Ok(t) => t,
        Err(Error::Refused(r)) => return Ok(Verdict::Bad(vec![r.code()])),
        Err(e) => return Err(e),
    };
    Ok(Verdict::Write(Box::new(Good {
        candidate: c,
        facts,
        terms,
        joins: known.map(|k| (k.person_id, k.school_code.clone(), k.facts_json.clone())),
    })))
}

pub(super) fn school_of(actor: &Actor) -> Result<String> {
    if actor.role != Role::SchoolAgent {
        return Err(Error::Forbidden);
    }
    actor.org_code.clone().ok_or(Error::Forbidden)
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
