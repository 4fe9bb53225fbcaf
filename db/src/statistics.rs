//! The agency's statistics of a policy year: who is enrolled and in which
//! tier, what they paid and what the subsidies add, and what claims cost,
//! per county. A county agency sees its county, the league agency every
//! county and their total.
//!
//! Counted straight from the records, in the database, so the figures are
//! those of the moment they are asked for. Claims count in the year their
//! care ended (the discharge year the benefits are accounted in, B10).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Actor, Db, Error, Result};

/// One county's figures (or, with an empty code, the total of those shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountyFigures {
    pub county_code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Enrolments approved for the year.
    pub enrolled: i64,
    /// Enrolments submitted by offices and schools, waiting for a reviewer.
    pub awaiting_review: i64,
    /// The personal shares of the approved enrolments.
    pub personal_fen: i64,
    /// What the central, regional, league and county budgets add for them.
    pub subsidy_fen: i64,
    /// Premiums received for the year (refunded ones left out).
    pub paid: i64,
    pub paid_fen: i64,
    pub paid_online_fen: i64,
    /// Of those, back payments after the 1 May sweep (E8).
    pub back_payments: i64,
    /// Approved enrolments with no premium received.
    pub unpaid: i64,
    /// Claims whose care ended in the year, in any status.
    pub claims: i64,
    /// Decided payouts (approved or paid).
    pub payout_fen: i64,
    /// Of which paid in released runs.
    pub paid_out_fen: i64,
}

impl CountyFigures {
    fn add(&mut self, o: &CountyFigures) {
        self.enrolled += o.enrolled;
        self.awaiting_review += o.awaiting_review;
        self.personal_fen += o.personal_fen;
        self.subsidy_fen += o.subsidy_fen;
        self.paid += o.paid;
        self.paid_fen += o.paid_fen;
        self.paid_online_fen += o.paid_online_fen;
        self.back_payments += o.back_payments;
        self.unpaid += o.unpaid;
        self.claims += o.claims;
        self.payout_fen += o.payout_fen;
        self.paid_out_fen += o.paid_out_fen;
    }
}

/// Approved enrolments of one category and tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierFigures {
    pub category: String,
    pub tier: String,
    pub enrolled: i64,
    pub personal_fen: i64,
    pub subsidy_fen: i64,
}

/// Claims of one kind, by where they stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimKindFigures {
    pub kind: String,
    pub filed: i64,
    pub in_review: i64,
    pub approved: i64,
    pub refused: i64,
    pub paid: i64,
    pub billed_fen: i64,
    pub payout_fen: i64,
    pub paid_out_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub year: i32,
    pub counties: Vec<CountyFigures>,
    pub total: CountyFigures,
    pub tiers: Vec<TierFigures>,
    pub claim_kinds: Vec<ClaimKindFigures>,
    /// Refused claims by the reason of the decision, most frequent first.
    pub refusals: Vec<(String, i64)>,
}

/// The figures of `year` within what `actor` may see.
pub async fn year(db: &Db, actor: &Actor, year: i32) -> Result<Statistics> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let county = actor.county_code.clone().unwrap_or_default();
    let y = i64::from(year);

    let names: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT county_code, name_zh, name_en FROM org_units
         WHERE kind = 'county_agency' AND ($1 = '' OR county_code = $1)",
    )
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    // Keyed by county code, so the lines come out in code order. A county
    // with records but no agency of its own still shows, by its code.
    let mut counties: BTreeMap<String, CountyFigures> = names
        .into_iter()
        .map(|(county_code, name_zh, name_en)| {
            let line = CountyFigures {
                county_code: county_code.clone(),
                name_zh,
                name_en,
                ..CountyFigures::default()
            };
            (county_code, line)
        })
        .collect();
    fn line<'a>(
        counties: &'a mut BTreeMap<String, CountyFigures>,
        code: &str,
    ) -> &'a mut CountyFigures {
        counties
            .entry(code.to_string())
            .or_insert_with(|| CountyFigures {
                county_code: code.to_string(),
                name_zh: code.to_string(),
                name_en: code.to_string(),
                ..CountyFigures::default()
            })
    }

    // One pass over each table, grouped finely and folded here: a report
    // over a large year reads each table once, not once per figure.
    type EnrolmentGroup = (String, String, String, String, i64, i64, i64, i64);
    let enrolments: Vec<EnrolmentGroup> = sqlx::query_as(
        "SELECT p.county_code, e.category, e.tier, e.status, COUNT(*),
                CAST(SUM(e.personal_fen) AS BIGINT),
                CAST(SUM(e.total_fen - e.personal_fen) AS BIGINT),
                CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM payments y WHERE y.person_id = e.person_id
                          AND y.policy_year = e.policy_year AND y.kind = 'premium' AND y.refunded_at IS NULL)
                     THEN 0 ELSE 1 END) AS BIGINT)
         FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.policy_year = $1 AND e.status IN ('submitted', 'approved')
           AND ($2 = '' OR p.county_code = $2)
         GROUP BY p.county_code, e.category, e.tier, e.status",
    )
    .bind(y)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let mut tiers: BTreeMap<(String, String), TierFigures> = BTreeMap::new();
    for (code, category, tier, status, n, personal, subsidy, unpaid) in enrolments {
        let c = line(&mut counties, &code);
        if status == "submitted" {
            c.awaiting_review += n;
            continue;
        }
        c.enrolled += n;
        c.personal_fen += personal;
        c.subsidy_fen += subsidy;
        c.unpaid += unpaid;
        let t = tiers
            .entry((category.clone(), tier.clone()))
            .or_insert_with(|| TierFigures {
                category,
                tier,
                enrolled: 0,
                personal_fen: 0,
                subsidy_fen: 0,
            });
        t.enrolled += n;
        t.personal_fen += personal;
        t.subsidy_fen += subsidy;
    }

    let premiums: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.county_code, COUNT(*), CAST(SUM(y.amount_fen) AS BIGINT),
                CAST(SUM(CASE WHEN y.channel = 'online' THEN y.amount_fen ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN y.back_payment = 1 THEN 1 ELSE 0 END) AS BIGINT)
         FROM payments y JOIN persons p ON p.id = y.person_id
         WHERE y.policy_year = $1 AND y.kind = 'premium' AND y.refunded_at IS NULL
           AND ($2 = '' OR p.county_code = $2)
         GROUP BY p.county_code",
    )
    .bind(y)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    for (code, paid, paid_fen, online, back) in premiums {
        let c = line(&mut counties, &code);
        (c.paid, c.paid_fen, c.paid_online_fen, c.back_payments) = (paid, paid_fen, online, back);
    }

    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    type ClaimGroup = (String, String, String, String, i64, i64, i64);
    let claims: Vec<ClaimGroup> = sqlx::query_as(
        "SELECT county_code, kind, status, COALESCE(reason, ''), COUNT(*),
                CAST(SUM(billed_fen) AS BIGINT), CAST(SUM(COALESCE(payout_fen, 0)) AS BIGINT)
         FROM claims WHERE care_to >= $1 AND care_to <= $2 AND ($3 = '' OR county_code = $3)
         GROUP BY county_code, kind, status, COALESCE(reason, '')",
    )
    .bind(&from)
    .bind(&to)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let mut claim_kinds: BTreeMap<String, ClaimKindFigures> = BTreeMap::new();
    let mut refusals: BTreeMap<String, i64> = BTreeMap::new();
    for (code, kind, status, reason, n, billed, payout) in claims {
        let decided = matches!(status.as_str(), "approved" | "paid");
        let paid_out = if status == "paid" { payout } else { 0 };
        let payout = if decided { payout } else { 0 };
        let c = line(&mut counties, &code);
        c.claims += n;
        c.payout_fen += payout;
        c.paid_out_fen += paid_out;
        let k = claim_kinds
            .entry(kind.clone())
            .or_insert_with(|| ClaimKindFigures {
                kind,
                ..ClaimKindFigures::default()
            });
        k.filed += n;
        k.billed_fen += billed;
        k.payout_fen += payout;
        k.paid_out_fen += paid_out;
        match status.as_str() {
            "approved" => k.approved += n,
            "refused" => {
                k.refused += n;
                *refusals.entry(reason).or_default() += n;
            }
            "paid" => k.paid += n,
            _ => k.in_review += n,
        }
    }
    let mut refusals: Vec<(String, i64)> = refusals.into_iter().collect();
    // Most frequent first; the map's order breaks ties by reason.
    refusals.sort_by_key(|&(_, n)| std::cmp::Reverse(n));

    let counties: Vec<CountyFigures> = counties.into_values().collect();
    let mut total = CountyFigures::default();
    for c in &counties {
        total.add(c);
    }

    Ok(Statistics {
        year,
        counties,
        total,
        tiers: tiers.into_values().collect(),
        claim_kinds: claim_kinds.into_values().collect(),
        refusals,
    })
}

/// The county lines and their total as CSV (UTF-8 with a BOM, so that a
/// spreadsheet opens the Chinese names right), amounts in yuan.
pub fn county_csv(s: &Statistics) -> String {
    use crate::export::yuan;
    let mut out = crate::csv_file::CsvFile::with_bom();
    out.line(
        "year,county_code,county,enrolled,awaiting_review,personal_share,subsidies,\
         premiums_paid,premiums_paid_amount,paid_online_amount,back_payments,unpaid,\
         claims,payout,paid_out"
            .split(','),
    );
    let total = CountyFigures {
        name_zh: "合计".into(),
        ..s.total.clone()
    };
    for c in s.counties.iter().chain(std::iter::once(&total)) {
        out.figure(s.year)
            .text(&c.county_code)
            .text(&c.name_zh)
            .figure(c.enrolled)
            .figure(c.awaiting_review)
            .figure(yuan(c.personal_fen))
            .figure(yuan(c.subsidy_fen))
            .figure(c.paid)
            .figure(yuan(c.paid_fen))
            .figure(yuan(c.paid_online_fen))
            .figure(c.back_payments)
            .figure(c.unpaid)
            .figure(c.claims)
            .figure(yuan(c.payout_fen))
            .figure(yuan(c.paid_out_fen))
            .end_line();
    }
    out.finish()
}
