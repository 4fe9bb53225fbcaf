//! The review queue and the agency's work list, paged by key.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub number: String,
    pub person_name: String,
    pub kind: String,
    pub care_to: NaiveDate,
    pub billed_fen: i64,
    pub filed_at: i64,
    pub status: String,
    pub first_reviewer: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Waiting for the first review.
    First,
    /// Waiting for the second review.
    Second,
}

impl Stage {
    fn status(self) -> &'static str {
        match self {
            Stage::First => "filed",
            Stage::Second => "second_review",
        }
    }
}

pub const QUEUE_PAGE: i64 = 50;

/// One page of the claims waiting at a stage, oldest first, after the claim
/// with id `after` (0 for the first page), in the agency user's county, and
/// how many wait in all. Pages follow the key, not an OFFSET, so the
/// hundredth page costs what the first does.
pub async fn review_queue(
    db: &Db,
    actor: &Actor,
    stage: Stage,
    after: i64,
) -> Result<(Vec<QueueRow>, i64)> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let county = actor.county_code.clone();
    let (filter, binds): (&str, Vec<String>) = match &county {
        Some(c) => (
            "c.status = $1 AND c.county_code = $2",
            vec![stage.status().into(), c.clone()],
        ),
        None => ("c.status = $1", vec![stage.status().into()]),
    };
    let count_sql = format!("SELECT COUNT(*) FROM claims c WHERE {filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b.clone());
    }
    let total = count.fetch_one(&db.pool).await?;
    let n = binds.len();
    let sql = format!(
        "SELECT c.id, c.number, p.name AS person_name, c.kind, c.care_to, c.billed_fen, c.filed_at, c.status, c.first_reviewer
         FROM claims c JOIN persons p ON p.id = c.person_id WHERE {filter} AND c.id > ${}
         ORDER BY c.id LIMIT ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q
        .bind(after.max(0))
        .bind(QUEUE_PAGE)
        .fetch_all(&db.pool)
        .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(QueueRow {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                person_name: r.try_get("person_name")?,
                kind: r.try_get("kind")?,
                care_to: row::date(r, "care_to")?,
                billed_fen: r.try_get("billed_fen")?,
                filed_at: r.try_get("filed_at")?,
                status: r.try_get("status")?,
                first_reviewer: r.try_get("first_reviewer")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok((list, total))
}

/// What waits for the agency user: claims at each review, approval
/// requests, and approved claims not yet in a payment run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    pub first_review: i64,
    pub second_review: i64,
    pub approvals: i64,
    pub to_pay: i64,
}

pub async fn work(db: &Db, actor: &Actor) -> Result<Work> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let county = actor.county_code.clone().unwrap_or_default();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM claims WHERE status IN ('filed', 'second_review', 'approved')
             AND ($1 = '' OR county_code = $1) AND payment_run_id IS NULL GROUP BY status",
    )
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let count = |s: &str| rows.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    let approvals: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM prior_approvals a JOIN persons p ON p.id = a.person_id
         WHERE a.status = 'requested' AND ($1 = '' OR p.county_code = $1)",
    )
    .bind(&county)
    .fetch_one(&db.pool)
    .await?;
    Ok(Work {
        first_review: count("filed"),
        second_review: count("second_review"),
        approvals,
        to_pay: count("approved"),
    })
}

/// Today's date where the scheme is.
pub fn today() -> NaiveDate {
    local_date(now_ms())
}
