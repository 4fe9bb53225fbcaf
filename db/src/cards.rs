//! Insurance cards (E13, E19). The office or school that registered a
//! resident takes the card fee; within 2 working days it sends the card list
//! (制卡名单) to the information centre; the centre (part of the agency)
//! makes the cards within 7 working days of the list. What is due and what
//! is late comes from the holiday calendar of the policy parameters.

use chrono::NaiveDate;
use policy::calendar::Paperwork;
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::{EnrolmentError, InputError, PaymentError};
use crate::numbering::{self, Series};
use crate::{households, local_date, Actor, Db, Error, Result};

/// A card fee taken, waiting to go on a card list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCard {
    pub person_id: i64,
    pub person_name: String,
    pub id_masked: String,
    pub fee_taken_on: String,
    /// The last day to send the list (E13: 2 working days).
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardList {
    pub number: String,
    pub org_code: String,
    pub org_name: String,
    pub sent_on: String,
    pub cards: i64,
    pub made_at: Option<i64>,
    /// The last day to make the cards (E19: 7 working days after the list).
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
}

/// The agent takes the card fee of a person of their scope with an approved enrolment.
pub async fn take_fee(db: &Db, actor: &Actor, person_id: i64, at_ms: i64) -> Result<()> {
    let org = actor.agent_org()?;
    households::get_person(db, actor, person_id).await?;
    let approved: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM enrolments WHERE person_id = $1 AND status = 'approved' AND registrar_org = $2 LIMIT 1",
    )
    .bind(person_id)
    .bind(&org)
    .fetch_optional(&db.pool)
    .await?;
    if approved.is_none() {
        return Err(Error::from(EnrolmentError::NotApproved));
    }
    let mut tx = db.begin_write().await?;
    // A second fee while the first card is still to be listed is refused
    // (UNIQUE person WHERE list_id IS NULL holds it under concurrency too).
    let inserted = sqlx::query(
        "INSERT INTO card_requests (person_id, org_code, fee_taken_by, fee_taken_at, fee_taken_on) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(person_id)
    .bind(&org)
    .bind(actor.user_id)
    .bind(at_ms)
    .bind(local_date(at_ms).to_string())
    .execute(&mut *tx)
    .await;
    if inserted.is_err() {
        return Err(Error::from(PaymentError::CardPending));
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "card.fee",
            entity: "person",
            entity_id: person_id.to_string(),
            before: None,
            after: Some(json!({"org": org, "at": at_ms})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Card fees of the agent's organisation not yet on a list, oldest first.
pub async fn pending(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<PendingCard>> {
    let org = actor.agent_org()?;
    let rows = sqlx::query(
        "SELECT c.person_id, p.name, p.id_number, c.fee_taken_on FROM card_requests c JOIN persons p ON p.id = c.person_id
         WHERE c.org_code = $1 AND c.list_id IS NULL ORDER BY c.fee_taken_at, c.id",
    )
    .bind(&org)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let on: String = r.try_get("fee_taken_on")?;
            let deadline = crate::deadline_after(rules, Paperwork::SendCardList, &on);
            Ok(PendingCard {
                person_id: r.try_get("person_id")?,
                person_name: r.try_get("name")?,
                id_masked: households::masked_id(&r.try_get::<String, _>("id_number")?),
                fee_taken_on: on,
                overdue: deadline.is_some_and(|d| today > d),
                deadline,
            })
        })
        .collect()
}

/// Persons of the agent's scope, with an approved enrolment of theirs, who never had a card fee taken.
pub async fn without_card(
    db: &Db,
    actor: &Actor,
    limit: i64,
) -> Result<Vec<(i64, String, String)>> {
    let org = actor.agent_org()?;
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT DISTINCT p.id, p.name, p.id_number FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.registrar_org = $1 AND e.status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM card_requests c WHERE c.person_id = p.id)
         ORDER BY p.id DESC LIMIT $2",
    )
    .bind(&org)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, number)| (id, name, households::masked_id(&number)))
        .collect())
}

/// Sends every pending card of the agent's organisation to the information centre, under one number.
pub async fn send_list(db: &Db, actor: &Actor, at_ms: i64) -> Result<String> {
    let org = actor.agent_org()?;
    let day = local_date(at_ms);
    let mut tx = db.begin_write().await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM card_requests WHERE org_code = $1 AND list_id IS NULL",
    )
    .bind(&org)
    .fetch_one(&mut *tx)
    .await?;
    if count == 0 {
        return Err(Error::from(PaymentError::NoCardsPending));
    }
    let number = numbering::next(&mut tx, Series::CardList, chrono::Datelike::year(&day)).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO card_lists (number, org_code, sent_by, sent_at, sent_on, cards) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&number)
    .bind(&org)
    .bind(actor.user_id)
    .bind(at_ms)
    .bind(day.to_string())
    .bind(count)
    .fetch_one(&mut *tx)
    .await?;
    let listed = sqlx::query(
        "UPDATE card_requests SET list_id = $1 WHERE org_code = $2 AND list_id IS NULL",
    )
    .bind(id)
    .bind(&org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if listed as i64 != count {
        return Err(Error::from(PaymentError::CardListChanged));
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "card.list",
            entity: "card_list",
            entity_id: number.clone(),
            before: None,
            after: Some(json!({"org": org, "cards": count})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Card lists: an agent sees its organisation's, the agency those of its county; newest first.
pub async fn lists(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<CardList>> {
    let clause = actor.org_clause(1, "l.org_code", "o.county_code");
    let sql = format!(
        "SELECT l.number, l.org_code, o.name_zh, l.sent_on, l.cards, l.made_at FROM card_lists l
         JOIN org_units o ON o.code = l.org_code WHERE {} ORDER BY l.id DESC LIMIT 200",
        clause.sql
    );
    let rows = clause
        .bind_query(sqlx::query(&sql))
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let org: String = r.try_get("org_code")?;
        let sent_on: String = r.try_get("sent_on")?;
        let made_at: Option<i64> = r.try_get("made_at")?;
        let deadline = crate::deadline_after(rules, Paperwork::MakeCards, &sent_on);
        out.push(CardList {
            number: r.try_get("number")?,
            org_code: org,
            org_name: r.try_get("name_zh")?,
            sent_on,
            cards: r.try_get("cards")?,
            overdue: made_at.is_none() && deadline.is_some_and(|d| today > d),
            made_at,
            deadline,
        });
    }
    Ok(out)
}

/// The information centre (the agency) records that a list's cards are made.
pub async fn mark_made(db: &Db, actor: &Actor, number: &str, at_ms: i64) -> Result<()> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    // A county's information centre makes its own county's cards only.
    let owner: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT l.org_code, o.county_code FROM card_lists l JOIN org_units o ON o.code = l.org_code WHERE l.number = $1",
    )
    .bind(number)
    .fetch_optional(&db.pool)
    .await?;
    let (org, county) = owner.ok_or(Error::NotFound)?;
    if !actor.sees_org(&org, county.as_deref()) {
        return Err(Error::Forbidden);
    }
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(
        "UPDATE card_lists SET made_by = $1, made_at = $2 WHERE number = $3 AND made_at IS NULL",
    )
    .bind(actor.user_id)
    .bind(at_ms)
    .bind(number);
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "card.made",
            entity: "card_list",
            entity_id: number.to_string(),
            before: Some(json!({"made": false})),
            after: Some(json!({"made": true})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
