//! The facts a decision reads, derived from the records, and the estimate shown before review.

use super::*;
use crate::error::ClaimError;

/// What the reviewer establishes from the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFacts {
    pub in_catalogue: Money,
    pub hospital_grade: HospitalGrade,
    pub cause: Option<Cause>,
    pub minor_blood_disease: bool,
    /// Admissions this year settled by designated hospitals (B13), which the
    /// portal does not hold, counted before this one.
    pub earlier_admissions: u32,
}

/// SQL: the person in column `person` is suspended for fraud (M29) on the
/// day bound at `day` (`YYYY-MM-DD`, which orders as text): from `from_on`
/// included to `until_on` excluded, or open while unrepaid.
pub(crate) fn suspended_sql(person: &str, day: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM suspensions s WHERE s.person_id = {person} AND s.from_on <= {day}
             AND (s.until_on IS NULL OR s.until_on > {day}))"
    )
}

/// Whether the person's benefits are suspended for fraud on `date` (M29).
pub async fn suspended_on<'e>(
    conn: impl sqlx::Executor<'e, Database = sqlx::Any>,
    person_id: i64,
    date: NaiveDate,
) -> Result<bool> {
    let sql = format!(
        "SELECT CASE WHEN {} THEN 1 ELSE 0 END",
        suspended_sql("$1", "$2")
    );
    let suspended: i64 = sqlx::query_scalar(&sql)
        .bind(person_id)
        .bind(date.to_string())
        .fetch_one(conn)
        .await?;
    Ok(suspended == 1)
}

pub(super) fn has_admission(kind: &str) -> bool {
    matches!(
        kind,
        "transfer" | "nondesignated_emergency" | "student_accident"
    )
}

/// The facts the policy engine decides a claim on, read from the records
/// through `conn`: a review reads them inside its own write transaction (on
/// SQLite a second pool connection could wait behind writers that wait for
/// this one: "database is locked").
pub async fn derive_facts(
    conn: &mut sqlx::AnyConnection,
    rules: &Rules,
    claim: &Claim,
    review: &ReviewFacts,
) -> Result<ClaimFacts> {
    let (kind, care_from, care_to) = (claim.kind, claim.care_from, claim.care_to);
    let year = care_to.year();
    let params = rules.year(year).map_err(Error::from)?;

    // Cover and continuous years on the day of care, from the payments.
    let paid = payments::paid_years_of(&mut *conn, claim.person_id).await?;
    let covered_by_payment =
        contribution::is_covered_on(rules, &paid, care_from).map_err(Error::from)?;
    let years: Vec<i32> = paid.iter().map(|p| p.year).collect();
    let first = contribution::first_enrolled_year(&years, care_from.year());
    let continuous_years = contribution::payment_status_with(rules, first, &paid, care_from, false)
        .map_err(Error::from)?
        .continuous_years;
    let suspended = suspended_on(&mut *conn, claim.person_id, care_from).await?;

    // The person's other decided or pending claims of the same year.
    let rows = sqlx::query(
        "SELECT id, kind, care_from, care_to, status, disease, payout_fen FROM claims
         WHERE person_id = $1 AND status <> 'refused' ORDER BY care_from, id",
    )
    .bind(claim.person_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut stays = Vec::new();
    let mut this_stay = None;
    let (mut general, mut sublimit, mut student) = (Money::zero(), Money::zero(), Money::zero());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let other_kind: String = r.try_get("kind")?;
        let from = row::date(r, "care_from")?;
        let to = row::date(r, "care_to")?;
        if has_admission(&other_kind) {
            if id == claim.id {
                this_stay = Some(stays.len());
            }
            stays.push(Stay {
                admitted: from,
                discharged: to,
            });
        }
        let status: String = r.try_get("status")?;
        if id == claim.id || to.year() != year || !matches!(status.as_str(), "approved" | "paid") {
            continue;
        }
        let payout = Money::from_fen(r.try_get::<Option<i64>, _>("payout_fen")?.unwrap_or(0));
        if other_kind == "student_accident" {
            student += payout;
        } else {
            general += payout;
            let disease: Option<String> = r.try_get("disease")?;
            if disease
                .as_deref()
                .and_then(Disease::from_code)
                .is_some_and(|d| params.special_outpatient.sub_limited.contains(&d))
            {
                sublimit += payout;
            }
        }
    }
    let ordinal = match this_stay {
        Some(index) => benefit::admission_ordinals(params.long_stay.months, &stays)
            .map_err(Error::from)?
            .into_iter()
            .rev()
            .find(|a| a.stay == index)
            .map_or(1, |a| a.ordinal.get()),
        None => 1,
    };
    let ordinal = NonZeroU32::new(ordinal.saturating_add(review.earlier_admissions))
        .unwrap_or(NonZeroU32::MIN);

    let filed_within_days = if is_emergency(kind) {
        matching_report(
            &reports_of(&mut *conn, claim.person_id).await?,
            kind,
            care_from,
            care_to,
        )
        .and_then(|r| u32::try_from(r.days_after).ok())
    } else {
        None
    };
    let transfer_ok = kind == ClaimKind::Transfer
        && transfer_approved(
            &approvals_of(&mut *conn, claim.person_id).await?,
            care_from,
            care_to,
        );

    Ok(ClaimFacts {
        kind,
        in_catalogue: review.in_catalogue,
        hospital_grade: review.hospital_grade,
        admission_ordinal: ordinal,
        continuous_years,
        minor_blood_disease: review.minor_blood_disease,
        cause: review.cause,
        transfer_approved: transfer_ok,
        filed_within_days,
        disease: claim.disease.as_deref().and_then(Disease::from_code),
        covered: covered_by_payment && !suspended,
        paid_ytd_general: general,
        paid_ytd_sublimit: sublimit,
        paid_ytd_student_accident: student,
    })
}

/// The year whose parameters decide a claim: its discharge year (B5).
pub fn claim_year(claim: &Claim) -> i32 {
    claim.care_to.year()
}

pub(super) fn grade_of(n: i64) -> Result<HospitalGrade> {
    u8::try_from(n)
        .ok()
        .and_then(|g| HospitalGrade::try_from(g).ok())
        .ok_or(Error::from(ClaimError::HospitalGrade))
}

/// What the claim would pay before review, if all the bill were in the
/// catalogue: an upper bound with its explanation, shown to the resident.
pub async fn estimate(db: &Db, rules: &Rules, claim: &Claim) -> Result<benefit::BenefitDecision> {
    let review = ReviewFacts {
        in_catalogue: Money::from_fen(claim.in_catalogue_fen.unwrap_or(claim.billed_fen)),
        hospital_grade: grade_of(claim.hospital_grade)?,
        cause: claim.cause.as_deref().and_then(Cause::from_code),
        minor_blood_disease: claim.minor_blood_disease,
        earlier_admissions: u32::try_from(claim.earlier_admissions).unwrap_or(0),
    };
    let mut conn = db.pool.acquire().await?;
    let facts = derive_facts(&mut conn, rules, claim, &review).await?;
    let params = rules.year(claim_year(claim)).map_err(Error::from)?;
    Ok(benefit::decide(params, &facts))
}
