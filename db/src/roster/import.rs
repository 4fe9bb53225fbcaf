//! The import: a dry run that reports, then the import of the rows that passed, in one transaction.

use super::*;
use crate::error::{InputError, OrgError, RosterError};

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
        .map_err(|_| Error::from(crate::error::RulesRefusal::UnknownYear))?;
    let table = read_off_the_workers(bytes).await?;
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

/// Reads the file on a blocking thread: unpacking and parsing take CPU
/// time that must not stall the async workers serving everyone else.
async fn read_off_the_workers(bytes: &[u8]) -> Result<Table> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::from(RosterError::FileTooBig));
    }
    let owned = bytes.to_vec();
    tokio::task::spawn_blocking(move || read_file(&owned)).await?
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
        return Err(Error::from(InputError::StateChanged));
    };
    let table: Table = serde_json::from_str(&rows_json)
        .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?;
    let year: i64 = row.try_get("policy_year")?;
    let year = i32::try_from(year).map_err(|_| Error::from(InputError::PolicyYear))?;
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
pub(super) async fn process(
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
                result = Err(vec![RosterError::DuplicateInFile.code()]);
            }
        }
        checked.push((i, result));
    }
    let county = crate::orgs::get(db, school)
        .await?
        .and_then(|o| o.county_code)
        .ok_or(Error::from(OrgError::OrgCounty))?;

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
            Some(serde_json::to_string(&table).map_err(|_| Error::from(RosterError::FileKind))?)
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
pub(super) async fn join_school(
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
        return Err(Error::from(RosterError::PupilOfOtherSchool));
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
