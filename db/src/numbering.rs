//! Gap-free document numbers per type and year (RULES.md §8, EXPORT.md).
//!
//! A number is taken inside the transaction that writes its document: the
//! upsert locks the series row until commit, so concurrent writers queue and
//! a rolled-back document gives its number back. No number is skipped and
//! none is used twice, whatever the engine.

use sqlx::{Any, Transaction};

use crate::Result;

/// The kinds of numbered documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// 缴费通知单, numbered per policy year.
    Notice,
    /// 收据 for money received, numbered per calendar year of receipt.
    Receipt,
    /// 核定表, the declaration of collected premiums, per calendar year.
    Declaration,
    /// 制卡名单, the card list sent to the information centre, per calendar year.
    CardList,
    /// 报销申请, a resident's claim, per calendar year of filing.
    Claim,
    /// 支付批次, a payment run, per calendar year of its window.
    PaymentRun,
}

impl Series {
    pub fn code(self) -> &'static str {
        match self {
            Series::Notice => "notice",
            Series::Receipt => "receipt",
            Series::Declaration => "declaration",
            Series::CardList => "card_list",
            Series::Claim => "claim",
            Series::PaymentRun => "payment_run",
        }
    }

    /// The letters printed in the number: 通知 TZ, 收据 SJ, 核定 HD, 制卡 ZK, 报销 BX, 支付 ZF.
    fn letters(self) -> &'static str {
        match self {
            Series::Notice => "TZ",
            Series::Receipt => "SJ",
            Series::Declaration => "HD",
            Series::CardList => "ZK",
            Series::Claim => "BX",
            Series::PaymentRun => "ZF",
        }
    }
}

/// Takes the next number of `series` in `year`, e.g. `2027-TZ-000001`.
pub async fn next(tx: &mut Transaction<'static, Any>, series: Series, year: i32) -> Result<String> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO number_series (kind, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (kind, year) DO UPDATE SET last = number_series.last + 1
         RETURNING last",
    )
    .bind(series.code())
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(format(series, year, n))
}

pub fn format(series: Series, year: i32, n: i64) -> String {
    format!("{year}-{}-{n:06}", series.letters())
}

/// Takes the next household number of `office` in policy `year`, e.g.
/// `152201001-2027-0001`: gap-free per office and year, by the same upsert
/// inside the caller's transaction (a refused opening gives it back).
pub async fn next_household(
    tx: &mut Transaction<'static, Any>,
    office: &str,
    year: i32,
) -> Result<String> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO household_number_series (office_code, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (office_code, year) DO UPDATE SET last = household_number_series.last + 1
         RETURNING last",
    )
    .bind(office)
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(household_number(office, year, n))
}

pub fn household_number(office: &str, year: i32, n: i64) -> String {
    format!("{office}-{year}-{n:04}")
}
