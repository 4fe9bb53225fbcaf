//! Pupils who leave school (E17).

use super::*;
use crate::error::{InputError, RosterError};

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
    let id = policy::idcard::check(id_number).map_err(Error::from)?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT id, school_class, facts_json FROM persons WHERE id_number = $1 AND school_code = $2",
    )
    .bind(&id.number)
    .bind(&school)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::from(RosterError::NotOurPupil))?;
    let person_id: i64 = row.try_get("id")?;
    let class: Option<String> = row.try_get("school_class")?;
    let mut facts: Value = serde_json::from_str(&row.try_get::<String, _>("facts_json")?)
        .map_err(|_| Error::from(InputError::PersonFacts))?;
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
