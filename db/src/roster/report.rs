//! The report of a run and its bad rows as a CSV the school can fix and upload again.

use super::*;
use crate::error::InputError;

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
        policy_year: i32::try_from(year).map_err(|_| Error::from(InputError::PolicyYear))?,
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
    let mut out = crate::csv_file::CsvFile::with_bom();
    let width = report.header.len();
    out.line(
        report
            .header
            .iter()
            .map(String::as_str)
            .chain([reason_header]),
    );
    for b in &report.bad {
        let reasons: Vec<String> = b.reasons.iter().map(|c| reason_text(c)).collect();
        let mut cells = b.cells.clone();
        cells.resize(width.max(cells.len()), String::new());
        out.line(cells.into_iter().chain([reasons.join("；")]));
    }
    out.finish()
}
