//! Payments: money received for a payment notice, recorded exactly once.
//!
//! Two channels: cash taken by an office or school agent (with a receipt),
//! and the resident's phone through a payment provider (an order, then the
//! provider's signed notification). Whatever arrives twice — a retried form,
//! a replayed notification, two phones on one notice — is one payment:
//! - a conditional UPDATE of the notice (`open` → `paid`) lets one writer win;
//! - `UNIQUE (person_id, policy_year) WHERE kind = 'premium'`, `UNIQUE
//!   request_key` and `UNIQUE order_id` hold even if that check is bypassed;
//! - money that reaches the portal for a year already paid (the provider's
//!   notification after cash was taken) is an `overpayment` to refund,
//!   recorded beside the premium, never merged into it.
//!
//! Status and continuous years are never stored: they come from the policy
//! engine over these rows (`status`).

use chrono::{Datelike, NaiveDate};
use policy::contribution::{self, PaidYear, PaymentTiming};
use policy::params::Rules;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, By, Change};
use crate::error::{InputError, PaymentError};
use crate::notices::{self, Notice, NoticeStatus};
use crate::numbering::{self, Series};
use crate::provider::PaymentProvider;
use crate::scope::Role;
use crate::{households, local_date, now_ms, Actor, Db, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    OfficeCash,
    SchoolCash,
    Online,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::OfficeCash => "office_cash",
            Channel::SchoolCash => "school_cash",
            Channel::Online => "online",
        }
    }

    fn from_code(code: &str) -> Channel {
        match code {
            "office_cash" => Channel::OfficeCash,
            "school_cash" => Channel::SchoolCash,
            _ => Channel::Online,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: i64,
    pub notice_number: String,
    pub person_id: i64,
    pub person_name: String,
    pub id_number: String,
    pub policy_year: i32,
    /// False for an overpayment, which is refunded.
    pub premium: bool,
    pub amount_fen: i64,
    pub paid_at: i64,
    pub paid_on: String,
    pub channel: Channel,
    pub receipt_number: String,
    pub back_payment: bool,
    pub collected_by: Option<String>,
    pub collected_org: Option<String>,
    pub declaration_number: Option<String>,
    pub refunded_at: Option<i64>,
    /// Online: the account that paid, and what its holder is to the person
    /// (`self`, `child`...; None when not known).
    pub paid_online_by: Option<String>,
    pub payer_relation: Option<String>,
}

impl Payment {
    /// When the cover this premium buys starts (M28): the moment of payment,
    /// never before 1 January of the year paid for. None for an overpayment.
    pub fn cover_from_ms(&self) -> Option<i64> {
        let jan1 = NaiveDate::from_ymd_opt(self.policy_year, 1, 1)?;
        self.premium
            .then(|| self.paid_at.max(crate::local_midnight_ms(jan1)))
    }
}

/// A fresh one-time key for a cash form.
pub fn new_request_key() -> String {
    let mut raw = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut raw);
    hex::encode(raw)
}

/// The outcome of recording: a new payment, or the one a retry already made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    New(Payment),
    Already(Payment),
}

impl Recorded {
    pub fn payment(&self) -> &Payment {
        match self {
            Recorded::New(p) | Recorded::Already(p) => p,
        }
    }
}

const COLS: &str = "y.id, n.number AS notice_number, y.person_id, p.name, p.id_number, y.policy_year, y.kind,
    y.amount_fen, y.paid_at, y.paid_on, y.channel, y.receipt_number, y.back_payment, u.username AS collected_by,
    y.collected_org, d.number AS declaration_number, y.refunded_at, ou.display_name AS paid_online_by,
    o.payer_relation";
const FROM: &str =
    "payments y JOIN payment_notices n ON n.id = y.notice_id JOIN persons p ON p.id = y.person_id
    LEFT JOIN users u ON u.id = y.collected_by LEFT JOIN declarations d ON d.id = y.declaration_id
    LEFT JOIN payment_orders o ON o.id = y.order_id LEFT JOIN users ou ON ou.id = o.created_by";

fn from_row(row: &AnyRow) -> Result<Payment> {
    let kind: String = row.try_get("kind")?;
    let channel: String = row.try_get("channel")?;
    let year: i64 = row.try_get("policy_year")?;
    let back: i64 = row.try_get("back_payment")?;
    Ok(Payment {
        id: row.try_get("id")?,
        notice_number: row.try_get("notice_number")?,
        person_id: row.try_get("person_id")?,
        person_name: row.try_get("name")?,
        id_number: row.try_get("id_number")?,
        policy_year: year as i32,
        premium: kind == "premium",
        amount_fen: row.try_get("amount_fen")?,
        paid_at: row.try_get("paid_at")?,
        paid_on: row.try_get("paid_on")?,
        channel: Channel::from_code(&channel),
        receipt_number: row.try_get("receipt_number")?,
        back_payment: back == 1,
        collected_by: row.try_get("collected_by")?,
        collected_org: row.try_get("collected_org")?,
        declaration_number: row.try_get("declaration_number")?,
        refunded_at: row.try_get("refunded_at")?,
        paid_online_by: row.try_get("paid_online_by")?,
        payer_relation: row.try_get("payer_relation")?,
    })
}

async fn one(db: &Db, clause: &str, bind: &str) -> Result<Option<Payment>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE {clause}");
    let row = sqlx::query(&sql)
        .bind(bind)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

async fn by_order(db: &Db, order_id: i64) -> Result<Option<Payment>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE y.order_id = $1");
    let row = sqlx::query(&sql)
        .bind(order_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

async fn by_id(db: &Db, id: i64) -> Result<Payment> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE y.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_one(&db.pool).await?;
    from_row(&row)
}

/// How a premium for `year` paid on `paid_on` counts, given the years paid before.
fn timing(rules: &Rules, paid: &[i32], year: i32, paid_on: NaiveDate) -> Result<PaymentTiming> {
    let earlier: Vec<i32> = paid.iter().copied().filter(|y| *y != year).collect();
    let first = contribution::first_enrolled_year(&earlier, year);
    contribution::payment_timing(rules, first, year, paid_on).map_err(Error::from)
}

/// Refuses, before any money is taken, a payment that could not count:
/// the year is paid already, or a new enrollee is past the year's deadline.
pub async fn check_payable(db: &Db, rules: &Rules, notice: &Notice, at_ms: i64) -> Result<()> {
    if notice.status == NoticeStatus::Paid {
        return Err(Error::from(PaymentError::AlreadyPaid));
    }
    let paid = notices::paid_years(db, notice.person_id).await?;
    if paid.contains(&notice.policy_year) {
        return Err(Error::from(PaymentError::AlreadyPaid));
    }
    if timing(rules, &paid, notice.policy_year, local_date(at_ms))? == PaymentTiming::LateEnrolment
    {
        return Err(Error::from(PaymentError::LateEnrolment));
    }
    Ok(())
}

struct Money<'a> {
    channel: Channel,
    amount_fen: i64,
    at_ms: i64,
    collected_by: Option<&'a Actor>,
    request_key: Option<&'a str>,
    order_id: Option<i64>,
}

/// Writes the payment inside `tx`: premium if this writer turns the notice
/// from open to paid, overpayment otherwise (only money already taken by a
/// provider gets that far; cash is refused before).
async fn write(
    tx: &mut Transaction<'static, Any>,
    rules: &Rules,
    notice: &Notice,
    paid: &[i32],
    m: Money<'_>,
) -> Result<i64> {
    let won =
        sqlx::query("UPDATE payment_notices SET status = 'paid' WHERE id = $1 AND status = 'open'")
            .bind(notice.id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
    let paid_on = local_date(m.at_ms);
    let timing = timing(rules, paid, notice.policy_year, paid_on)?;
    let premium = won && timing != PaymentTiming::LateEnrolment;
    if !premium && m.channel != Channel::Online {
        return Err(if won {
            Error::from(PaymentError::LateEnrolment)
        } else {
            Error::from(PaymentError::AlreadyPaid)
        });
    }
    if won && !premium {
        // The provider took money we cannot count: the notice stays open.
        sqlx::query("UPDATE payment_notices SET status = 'open' WHERE id = $1")
            .bind(notice.id)
            .execute(&mut **tx)
            .await?;
    }
    let receipt = numbering::next(tx, Series::Receipt, paid_on.year()).await?;
    let back_payment = premium && timing == PaymentTiming::BackPayment;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (notice_id, person_id, policy_year, kind, amount_fen, paid_at, paid_on, channel,
             receipt_number, back_payment, collected_by, collected_org, request_key, order_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(notice.id)
    .bind(notice.person_id)
    .bind(i64::from(notice.policy_year))
    .bind(if premium { "premium" } else { "overpayment" })
    .bind(m.amount_fen)
    .bind(m.at_ms)
    .bind(paid_on.to_string())
    .bind(m.channel.code())
    .bind(&receipt)
    .bind(i64::from(back_payment))
    .bind(m.collected_by.map(|a| a.user_id))
    .bind(m.collected_by.and_then(|a| a.org_code.clone()))
    .bind(m.request_key)
    .bind(m.order_id)
    .fetch_one(&mut **tx)
    .await?;
    if premium {
        // Cash closes any open provider order, so the phone cannot pay it too.
        sqlx::query("UPDATE payment_orders SET status = 'closed' WHERE notice_id = $1 AND status = 'created'")
            .bind(notice.id)
            .execute(&mut **tx)
            .await?;
    }
    let by = match m.collected_by {
        Some(a) => By::User(a),
        None => By::System("payment_provider"),
    };
    audit::record(
        tx,
        by,
        Change {
            action: if premium {
                "payment.record"
            } else {
                "payment.overpayment"
            },
            entity: "payment",
            entity_id: receipt.clone(),
            before: None,
            after: Some(json!({
                "notice": notice.number, "person": notice.person_id, "year": notice.policy_year,
                "amount_fen": m.amount_fen, "channel": m.channel.code(), "paid_at": m.at_ms,
                "back_payment": back_payment, "order": m.order_id,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// What makes two requests the same payment.
enum Retry<'a> {
    Request(&'a str),
    Order(i64),
}

/// Commits a written payment. When writing failed because a concurrent
/// request with the same key recorded it first, answers with that payment.
async fn settle(
    db: &Db,
    tx: Transaction<'static, Any>,
    written: Result<i64>,
    retry: Retry<'_>,
) -> Result<Recorded> {
    match written {
        Ok(id) => {
            tx.commit().await?;
            Ok(Recorded::New(by_id(db, id).await?))
        }
        Err(e) => {
            drop(tx);
            let winner = match retry {
                Retry::Request(key) => one(db, "y.request_key = $1", key).await?,
                Retry::Order(id) => by_order(db, id).await?,
            };
            winner.map(Recorded::Already).ok_or(e)
        }
    }
}

/// Cash taken by an office or school agent for a notice of their scope.
///
/// `request_key` is the one-time key of the form: submitting it again (a
/// double click, a retry after a lost answer) returns the payment it made.
pub async fn record_cash(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    notice_number: &str,
    request_key: &str,
    at_ms: i64,
) -> Result<Recorded> {
    let channel = match actor.role {
        Role::OfficeAgent => Channel::OfficeCash,
        Role::SchoolAgent => Channel::SchoolCash,
        _ => return Err(Error::Forbidden),
    };
    let request_key = request_key.trim();
    if request_key.len() < 16 || request_key.len() > 64 {
        return Err(Error::from(InputError::RequestKey));
    }
    if let Some(p) = one(db, "y.request_key = $1", request_key).await? {
        return own_retry(actor, p);
    }
    let notice = notices::get(db, actor, notice_number).await?;
    check_payable(db, rules, &notice, at_ms).await?;
    let paid = notices::paid_years(db, notice.person_id).await?;
    let mut tx = db.begin_write().await?;
    let written = write(
        &mut tx,
        rules,
        &notice,
        &paid,
        Money {
            channel,
            amount_fen: notice.amount_fen,
            at_ms,
            collected_by: Some(actor),
            request_key: Some(request_key),
            order_id: None,
        },
    )
    .await;
    // The same form submitted twice at once: the other request may have won.
    match settle(db, tx, written, Retry::Request(request_key)).await? {
        Recorded::Already(p) => own_retry(actor, p),
        new => Ok(new),
    }
}

/// A form's key brought again answers with its receipt only to the agent
/// who took that cash: a key seen over a shoulder or in a log must not
/// show another office's receipt (the person, the amount) to anyone else.
fn own_retry(actor: &Actor, p: Payment) -> Result<Recorded> {
    if p.collected_by.as_deref() != Some(actor.username.as_str()) {
        return Err(Error::Forbidden);
    }
    Ok(Recorded::Already(p))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub order_number: String,
    pub notice_number: String,
    pub provider: String,
    pub amount_fen: i64,
    pub status: String,
}

type OrderRow = (String, String, String, i64, String);

const ORDER: &str =
    "SELECT o.order_number, n.number, o.provider, o.amount_fen, o.status FROM payment_orders o
    JOIN payment_notices n ON n.id = o.notice_id";

fn order_of((order_number, notice_number, provider, amount_fen, status): OrderRow) -> Order {
    Order {
        order_number,
        notice_number,
        provider,
        amount_fen,
        status,
    }
}

async fn open_order(db: &Db, notice_id: i64) -> Result<Option<Order>> {
    let row: Option<OrderRow> = sqlx::query_as(&format!(
        "{ORDER} WHERE o.notice_id = $1 AND o.status = 'created'"
    ))
    .bind(notice_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(order_of))
}

/// A resident opens (or finds the open) order to pay a notice of their
/// household online. Two phones paying one notice share one order.
pub async fn create_order(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    notice_number: &str,
    provider: &dyn PaymentProvider,
    at_ms: i64,
) -> Result<Order> {
    if actor.role != Role::Resident {
        return Err(Error::Forbidden);
    }
    let notice = notices::get(db, actor, notice_number).await?;
    check_payable(db, rules, &notice, at_ms).await?;
    if notice.amount_fen == 0 {
        return Err(Error::from(PaymentError::NothingToPay));
    }
    if let Some(o) = open_order(db, notice.id).await? {
        return Ok(o);
    }
    let mut raw = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut raw);
    let order_number = format!(
        "PO{}{}",
        local_date(at_ms).format("%Y%m%d"),
        hex::encode(raw)
    );
    // Paying for an elderly parent or a child: who pays, as what, is kept
    // with the order and shown to the office.
    let relation = crate::acting::relation_to_person(db, actor, notice.person_id).await?;
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO payment_orders (order_number, notice_id, provider, amount_fen, status, created_by, created_at, payer_relation)
         VALUES ($1, $2, $3, $4, 'created', $5, $6, $7)",
    )
    .bind(&order_number)
    .bind(notice.id)
    .bind(provider.code())
    .bind(notice.amount_fen)
    .bind(actor.user_id)
    .bind(at_ms)
    .bind(relation)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        drop(tx);
        // The other phone opened it first (one open order per notice).
        return open_order(db, notice.id).await?.ok_or(e.into());
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "payment.order",
            entity: "payment_order",
            entity_id: order_number.clone(),
            before: None,
            after: Some(json!({"notice": notice.number, "amount_fen": notice.amount_fen, "provider": provider.code(), "payer_relation": relation})),
        },
    )
    .await?;
    tx.commit().await?;
    open_order(db, notice.id).await?.ok_or(Error::NotFound)
}

/// A provider's notification: verified, then recorded exactly once.
pub async fn on_notification(
    db: &Db,
    rules: &Rules,
    provider: &dyn PaymentProvider,
    body: &str,
    signature: &str,
) -> Result<Recorded> {
    let n = provider.verify(body, signature)?;
    let order: Option<(i64, String, i64, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.provider, o.amount_fen, n.number, o.created_at FROM payment_orders o
         JOIN payment_notices n ON n.id = o.notice_id WHERE o.order_number = $1",
    )
    .bind(&n.order_number)
    .fetch_optional(&db.pool)
    .await?;
    let (order_id, order_provider, amount_fen, notice_number, created_at) =
        order.ok_or(Error::NotFound)?;
    // The day paid decides the start of cover: a notification cannot date
    // it before the order existed, nor after it arrived.
    let paid_at = n.paid_at.clamp(created_at, now_ms().max(created_at));
    if order_provider != provider.code() {
        return Err(Error::from(PaymentError::BadSignature));
    }
    if amount_fen != n.amount_fen {
        return Err(Error::from(PaymentError::AmountMismatch));
    }
    if let Some(p) = by_order(db, order_id).await? {
        return Ok(Recorded::Already(p));
    }
    let notice = notices::by_number(db, &notice_number).await?;
    let paid = notices::paid_years(db, notice.person_id).await?;
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE payment_orders SET status = 'paid', provider_txn = $1, notified_at = $2 WHERE id = $3 AND status <> 'paid'",
    )
    .bind(&n.provider_txn)
    .bind(now_ms())
    .bind(order_id)
    .execute(&mut *tx)
    .await;
    let written = match marked {
        Ok(r) if r.rows_affected() == 1 => {
            write(
                &mut tx,
                rules,
                &notice,
                &paid,
                Money {
                    channel: Channel::Online,
                    amount_fen: n.amount_fen,
                    at_ms: paid_at,
                    collected_by: None,
                    request_key: None,
                    order_id: Some(order_id),
                },
            )
            .await
        }
        Ok(_) => Err(Error::from(PaymentError::AlreadyPaid)),
        Err(e) => Err(e.into()),
    };
    settle(db, tx, written, Retry::Order(order_id)).await
}

/// A provider order's state, for the page that waits for the notification.
pub async fn order_status(db: &Db, actor: &Actor, order_number: &str) -> Result<Order> {
    let row: Option<OrderRow> = sqlx::query_as(&format!("{ORDER} WHERE o.order_number = $1"))
        .bind(order_number)
        .fetch_optional(&db.pool)
        .await?;
    let order = order_of(row.ok_or(Error::NotFound)?);
    notices::get(db, actor, &order.notice_number).await?;
    Ok(order)
}

/// The payments of a person the actor may see, oldest first.
pub async fn for_person(db: &Db, actor: &Actor, person_id: i64) -> Result<Vec<Payment>> {
    households::get_person(db, actor, person_id).await?;
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE y.person_id = $1 ORDER BY y.paid_at, y.id");
    let rows = sqlx::query(&sql)
        .bind(person_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// A payment by receipt number, for an actor whose scope covers its person.
pub async fn by_receipt(db: &Db, actor: &Actor, receipt_number: &str) -> Result<Payment> {
    let p = one(db, "y.receipt_number = $1", receipt_number)
        .await?
        .ok_or(Error::NotFound)?;
    households::get_person(db, actor, p.person_id).await?;
    Ok(p)
}

/// The premiums of a person as the policy engine reads them.
pub async fn paid_years_of<'e>(
    conn: impl sqlx::Executor<'e, Database = sqlx::Any>,
    person_id: i64,
) -> Result<Vec<PaidYear>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT policy_year, paid_on FROM payments WHERE person_id = $1 AND kind = 'premium' ORDER BY policy_year",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(year, on)| {
            Ok(PaidYear {
                year: year as i32,
                paid_at: on.parse().map_err(|_| Error::from(InputError::PaidOn))?,
            })
        })
        .collect()
}

/// The contribution status of a person on `as_of`, from the policy engine
/// over the stored payments.
pub async fn status(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    person_id: i64,
    as_of: NaiveDate,
) -> Result<contribution::Status> {
    households::get_person(db, actor, person_id).await?;
    let paid = paid_years_of(&db.pool, person_id).await?;
    let years: Vec<i32> = paid.iter().map(|p| p.year).collect();
    let first = contribution::first_enrolled_year(&years, as_of.year());
    contribution::payment_status(rules, first, &paid, as_of).map_err(Error::from)
}

/// The status of [`status`] and what the home says beside it: a year paid
/// ahead (paid in December for next year, when today's status still reads
/// "not enrolled"), its cover start and the next due date.
pub async fn outlook(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    person_id: i64,
    as_of: NaiveDate,
) -> Result<(contribution::Status, contribution::Outlook)> {
    let now = status(db, rules, actor, person_id, as_of).await?;
    let paid = paid_years_of(&db.pool, person_id).await?;
    Ok((now, contribution::outlook(rules, &paid, as_of)))
}

/// Cash premiums an organisation collected and has not declared, oldest first.
pub(crate) async fn undeclared_of(db: &Db, org: &str) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE y.collected_org = $1 AND y.declaration_id IS NULL AND y.channel <> 'online'
         ORDER BY y.paid_at, y.id"
    );
    let rows = sqlx::query(&sql).bind(org).fetch_all(&db.pool).await?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn of_declaration(db: &Db, number: &str) -> Result<Vec<Payment>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE d.number = $1 ORDER BY y.paid_at, y.id");
    let rows = sqlx::query(&sql).bind(number).fetch_all(&db.pool).await?;
    rows.iter().map(from_row).collect()
}

/// Overpayments not yet refunded (money that arrived for a year already
/// paid), oldest first, in the agency user's county.
pub async fn overpayments_to_refund(db: &Db, actor: &Actor) -> Result<Vec<Payment>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let clause = actor.person_clause(1);
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE y.kind = 'overpayment' AND y.refunded_at IS NULL AND ({})
         ORDER BY y.paid_at, y.id LIMIT 500",
        clause.sql
    );
    let rows = clause
        .bind_query(sqlx::query(&sql))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// An agency administrator records that an overpayment went back to the
/// payer. Once only: a second click or a retry changes nothing.
pub async fn mark_refunded(db: &Db, actor: &Actor, receipt_number: &str) -> Result<Payment> {
    if actor.role != Role::AgencyAdmin {
        return Err(Error::Forbidden);
    }
    let p = by_receipt(db, actor, receipt_number).await?;
    if p.premium {
        return Err(Error::from(PaymentError::NotAnOverpayment));
    }
    if p.refunded_at.is_some() {
        return Ok(p);
    }
    let at = crate::now_ms();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE payments SET refunded_at = $1 WHERE id = $2 AND kind = 'overpayment' AND refunded_at IS NULL",
    )
    .bind(at)
    .bind(p.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        audit::record(
            &mut tx,
            By::User(actor),
            Change {
                action: "payment.refunded",
                entity: "payment",
                entity_id: p.receipt_number.clone(),
                before: Some(json!({ "refunded_at": null })),
                after: Some(json!({ "refunded_at": at, "amount_fen": p.amount_fen })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    by_receipt(db, actor, receipt_number).await
}
