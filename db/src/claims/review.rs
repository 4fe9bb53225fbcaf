//! The two-person review: first review (初审) records the facts, second review (复审) decides by the engine.

use super::*;
use crate::error::{ClaimError, InputError};

pub(super) fn reviewer(actor: &Actor, claim: &Claim) -> Result<()> {
    if !matches!(actor.role, Role::AgencyReviewer | Role::AgencyAdmin) {
        return Err(Error::Forbidden);
    }
    if !agency_sees(actor, &claim.county_code) {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// The first review (初审): the documents are checked, the in-catalogue
/// amount and the facts entered, or the documents found false.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstReview {
    pub facts: ReviewFacts,
    pub documents_false: bool,
    pub note: String,
}

pub async fn first_review(db: &Db, actor: &Actor, number: &str, r: FirstReview) -> Result<Claim> {
    let claim = get(db, actor, number).await?;
    reviewer(actor, &claim)?;
    if claim.status != ClaimStatus::Filed {
        return Err(Error::from(InputError::StateChanged));
    }
    if r.facts.in_catalogue > Money::from_fen(claim.billed_fen)
        || r.facts.in_catalogue.is_negative()
    {
        return Err(Error::from(ClaimError::InCatalogue));
    }
    if !r.documents_false && !missing_documents(db, &claim).await?.is_empty() {
        return Err(Error::from(ClaimError::DocumentsMissing));
    }
    if r.documents_false && r.note.trim().is_empty() {
        return Err(Error::from(InputError::ReasonRequired));
    }
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(
        "UPDATE claims SET status = 'second_review', first_reviewer = $1, first_reviewed_at = $2,
             in_catalogue_fen = $3, hospital_grade = $4, cause = $5, minor_blood_disease = $6,
             earlier_admissions = $7, documents_false = $8, first_note = $9
         WHERE id = $10 AND status = 'filed'",
    )
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(r.facts.in_catalogue.fen())
    .bind(i64::from(u8::from(r.facts.hospital_grade)))
    .bind(r.facts.cause.map(|c| c.code()))
    .bind(i64::from(r.facts.minor_blood_disease))
    .bind(i64::from(r.facts.earlier_admissions))
    .bind(i64::from(r.documents_false))
    .bind(r.note.trim())
    .bind(claim.id);
    let note = r.note.trim();
    event(
        &mut tx,
        claim.id,
        "first_review",
        Some(actor.user_id),
        (!note.is_empty()).then_some(note),
    )
    .await?;
    transition(&mut tx, update, InputError::StateChanged, actor, "claim.first_review", "claim", number, json!({
        "in_catalogue_fen": r.facts.in_catalogue.fen(), "hospital_grade": u8::from(r.facts.hospital_grade),
        "cause": r.facts.cause.map(|c| c.code()), "minor_blood_disease": r.facts.minor_blood_disease,
        "earlier_admissions": r.facts.earlier_admissions, "documents_false": r.documents_false, "note": note,
    }))
    .await?;
    tx.commit().await?;
    get(db, actor, number).await
}

/// Why a claim pays nothing, as a code the pages translate: the policy
/// engine's reason, false documents, or an amount that nothing is left of.
pub(super) fn refusal_reason(decision: &benefit::BenefitDecision) -> Option<&'static str> {
    match (decision.reason, decision.capped_by) {
        (Some(r), _) => Some(r.code()),
        _ if decision.payout > Money::zero() => None,
        (None, Some(_)) => Some("cap_reached"),
        (None, None) => Some("below_deductible"),
    }
}

/// The second review (复审) by another reviewer: confirm, and the decision
/// is taken by the policy engine and stored with its facts; or send the
/// claim back to the first review with a note.
pub async fn second_review(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    number: &str,
    confirm: bool,
    note: &str,
    today: NaiveDate,
) -> Result<Claim> {
    let claim = get(db, actor, number).await?;
    reviewer(actor, &claim)?;
    if claim.status != ClaimStatus::SecondReview {
        return Err(Error::from(InputError::StateChanged));
    }
    if claim.first_reviewer == Some(actor.user_id) {
        return Err(Error::from(ClaimError::SameReviewer));
    }
    let note = note.trim();
    if !confirm {
        if note.is_empty() {
            return Err(Error::from(InputError::ReasonRequired));
        }
        let mut tx = db.begin_write().await?;
        let update = sqlx::query(
            "UPDATE claims SET status = 'filed', first_reviewer = NULL, first_reviewed_at = NULL,
                 in_catalogue_fen = NULL, cause = NULL, minor_blood_disease = NULL, earlier_admissions = NULL,
                 documents_false = NULL, first_note = NULL
             WHERE id = $1 AND status = 'second_review'",
        )
        .bind(claim.id);
        event(
            &mut tx,
            claim.id,
            "returned",
            Some(actor.user_id),
            Some(note),
        )
        .await?;
        transition(
            &mut tx,
            update,
            InputError::StateChanged,
            actor,
            "claim.return",
            "claim",
            number,
            json!({ "note": note }),
        )
        .await?;
        tx.commit().await?;
        return get(db, actor, number).await;
    }

    let kind = claim.kind;
    let mut tx = db.begin_write().await?;
    lock_person(db, &mut tx, claim.person_id).await?;
    let (status, payout, reason, facts_json, explanation, window) = if claim.documents_false {
        // M29(一): the whole claim is refused and benefits are suspended.
        let s = fraud::suspension(rules, FraudCase::FoundAtReview { found_on: today })
            .map_err(Error::from)?;
        insert_suspension(
            &mut tx,
            actor,
            claim.person_id,
            claim.id,
            "found_at_review",
            &s,
            0,
            None,
        )
        .await?;
        (
            "refused",
            0,
            Some("documents_false"),
            None,
            s.explanation,
            None,
        )
    } else {
        let review = ReviewFacts {
            in_catalogue: Money::from_fen(claim.in_catalogue_fen.unwrap_or(0)),
            hospital_grade: grade_of(claim.hospital_grade)?,
            cause: claim.cause.as_deref().and_then(Cause::from_code),
            minor_blood_disease: claim.minor_blood_disease,
            earlier_admissions: u32::try_from(claim.earlier_admissions).unwrap_or(0),
        };
        let facts = derive_facts(&mut tx, rules, &claim, &review).await?;
        let params = rules.year(claim_year(&claim)).map_err(Error::from)?;
        let decision = benefit::decide(params, &facts);
        let reason = refusal_reason(&decision);
        let window = match reason {
            None => Some(
                payment_run::window_start(rules, RunKind::for_claim(kind), today)
                    .map_err(Error::from)?
                    .to_string(),
            ),
            Some(_) => None,
        };
        let facts_json =
            serde_json::to_string(&facts).map_err(|_| Error::from(ClaimError::Facts))?;
        (
            if reason.is_none() {
                "approved"
            } else {
                "refused"
            },
            decision.payout.fen(),
            reason,
            Some(facts_json),
            decision.explanation,
            window,
        )
    };
    let explanation_json = serde_json::to_string(&explanation).unwrap_or_default();
    let update = sqlx::query(
        "UPDATE claims SET status = $1, second_reviewer = $2, second_reviewed_at = $3, decided_on = $4,
             facts_json = $5, payout_fen = $6, reason = $7, explanation_json = $8, run_window_start = $9
         WHERE id = $10 AND status = 'second_review' AND first_reviewer <> $2",
    )
    .bind(status)
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(today.to_string())
    .bind(&facts_json)
    .bind(payout)
    .bind(reason)
    .bind(&explanation_json)
    .bind(&window)
    .bind(claim.id);
    event(
        &mut tx,
        claim.id,
        status,
        Some(actor.user_id),
        (!note.is_empty()).then_some(note),
    )
    .await?;
    transition(
        &mut tx,
        update,
        InputError::StateChanged,
        actor,
        "claim.decide",
        "claim",
        number,
        json!({
            "status": status, "payout_fen": payout, "reason": reason, "facts": facts_json,
            "run_window_start": window, "note": note,
        }),
    )
    .await?;
    tx.commit().await?;
    get(db, actor, number).await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_suspension(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    person_id: i64,
    claim_id: i64,
    case: &str,
    s: &fraud::Suspension,
    amount_fen: i64,
    fraud_on: Option<NaiveDate>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO suspensions (person_id, claim_id, fraud_case, from_on, until_on, amount_fen, fraud_on,
             explanation_json, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(person_id)
    .bind(claim_id)
    .bind(case)
    .bind(s.from.to_string())
    .bind(s.until.map(|d| d.to_string()))
    .bind(amount_fen)
    .bind(fraud_on.map(|d| d.to_string()))
    .bind(serde_json::to_string(&s.explanation).unwrap_or_default())
    .bind(actor.user_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    audit_change(
        tx,
        actor,
        "fraud.suspend",
        "suspension",
        id,
        json!({
            "person_id": person_id, "claim_id": claim_id, "case": case, "from": s.from.to_string(),
            "until": s.until.map(|d| d.to_string()), "amount_fen": amount_fen,
        }),
    )
    .await?;
    Ok(id)
}
