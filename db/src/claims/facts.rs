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
    let mut paid_in_year = benefit::PaidInYear::default();
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
        let disease: Option<String> = r.try_get("disease")?;
        if let Some(other) = ClaimKind::from_code(&other_kind) {
            paid_in_year.add(
                params,
                other,
                disease.as_deref().and_then(Disease::from_code),
                payout,
            );
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
        paid_ytd_general: paid_in_year.general,
        paid_ytd_sublimit: paid_in_year.sub_limit,
        paid_ytd_student_accident: paid_in_year.student_accident,
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

/// A claim of the person's year as the enquiry page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearClaim {
    pub number: String,
    pub kind: ClaimKind,
    pub care_from: NaiveDate,
    pub care_to: NaiveDate,
    pub status: ClaimStatus,
    pub billed_fen: i64,
    pub payout_fen: Option<i64>,
    pub agent_relation: String,
}

/// A person's claims of one year (by discharge date, B5) and the caps they
/// count against (B6, B8, B11).
#[derive(Debug, Clone)]
pub struct ClaimsInYear {
    pub year: i32,
    pub claims: Vec<YearClaim>,
    pub caps: [benefit::CapUse; 3],
}

/// "What was claimed this year, and how much is left": for anyone whose scope
/// covers the person (office, school, agency, the resident's household). The
/// used amounts are the decided payouts, counted as the second review counts
/// them; claims still under review are listed but use nothing yet.
pub async fn claims_in_year(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    person_id: i64,
    year: i32,
    continuous_years: u32,
) -> Result<ClaimsInYear> {
    households::get_person(db, actor, person_id).await?;
    let params = rules.year(year).map_err(Error::from)?;
    let sql = format!("{CLAIM_SELECT} WHERE c.person_id = $1 ORDER BY c.care_to, c.id");
    let rows = sqlx::query(&sql)
        .bind(person_id)
        .fetch_all(&db.pool)
        .await?;
    // A person has a handful of claims: the year is picked here, as the
    // second review picks it (by discharge date).
    let mut claims = Vec::new();
    for row in &rows {
        let c = claim_from_row(row)?;
        if c.care_to.year() == year {
            claims.push(c);
        }
    }
    let mut paid = benefit::PaidInYear::default();
    for c in claims.iter().filter(|c| c.status.pays()) {
        paid.add(
            params,
            c.kind,
            c.disease.as_deref().and_then(Disease::from_code),
            Money::from_fen(c.payout_fen.unwrap_or(0)),
        );
    }
    let minor_blood = claims.iter().any(|c| c.minor_blood_disease);
    Ok(ClaimsInYear {
        year,
        caps: benefit::caps_in_year(params, minor_blood, continuous_years, &paid),
        claims: claims
            .into_iter()
            .map(|c| YearClaim {
                number: c.number,
                kind: c.kind,
                care_from: c.care_from,
                care_to: c.care_to,
                status: c.status,
                billed_fen: c.billed_fen,
                payout_fen: c.payout_fen,
                agent_relation: c.agent_relation,
            })
            .collect(),
    })
}
