//! The agency's statistics of a policy year: who is enrolled and in which
//! tier, what they paid and what the subsidies add, and what claims cost,
//! per county. A county agency sees its county, the league agency every
//! county and their total.
//!
//! Counted straight from the records, in the database, so the figures are
//! those of the moment they are asked for. Claims count in the year their
//! care ended (the discharge year the benefits are accounted in, B10).

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
         WHERE kind = 'county_agency' AND ($1 = '' OR county_code = $1) ORDER BY county_code",
    )
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let mut counties: Vec<CountyFigures> = names
        .into_iter()
        .map(|(county_code, name_zh, name_en)| CountyFigures {
            county_code,
            name_zh,
            name_en,
            ..CountyFigures::default()
        })
        .collect();
    // A county with records but no agency of its own still shows, by its code.
    fn line<'a>(counties: &'a mut Vec<CountyFigures>, code: &str) -> &'a mut CountyFigures {
        let at = match counties.iter().position(|c| c.county_code == code) {
            Some(i) => i,
            None => {
                counties.push(CountyFigures {
                    county_code: code.to_string(),
                    name_zh: code.to_string(),
                    name_en: code.to_string(),
                    ..CountyFigures::default()
                });
                counties.len() - 1
            }
        };
        &mut counties[at]
    }

    let enrolments: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.county_code,
                CAST(SUM(CASE WHEN e.status = 'approved' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN e.status = 'submitted' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN e.status = 'approved' THEN e.personal_fen ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN e.status = 'approved' THEN e.total_fen - e.personal_fen ELSE 0 END) AS BIGINT)
         FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.policy_year = $1 AND ($2 = '' OR p.county_code = $2)
         GROUP BY p.county_code",
    )
    .bind(y)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    for (code, enrolled, waiting, personal, subsidy) in enrolments {
        let c = line(&mut counties, &code);
        (c.enrolled, c.awaiting_review, c.personal_fen, c.subsidy_fen) =
            (enrolled, waiting, personal, subsidy);
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

    let unpaid: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.county_code, COUNT(*)
         FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.policy_year = $1 AND e.status = 'approved' AND ($2 = '' OR p.county_code = $2)
           AND NOT EXISTS (SELECT 1 FROM payments y WHERE y.person_id = e.person_id
                           AND y.policy_year = e.policy_year AND y.kind = 'premium' AND y.refunded_at IS NULL)
         GROUP BY p.county_code",
    )
    .bind(y)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    for (code, n) in unpaid {
        line(&mut counties, &code).unpaid = n;
    }

    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    let claims: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT county_code, COUNT(*),
                CAST(SUM(CASE WHEN status IN ('approved', 'paid') THEN payout_fen ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN status = 'paid' THEN payout_fen ELSE 0 END) AS BIGINT)
         FROM claims WHERE care_to >= $1 AND care_to <= $2 AND ($3 = '' OR county_code = $3)
         GROUP BY county_code",
    )
    .bind(&from)
    .bind(&to)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    for (code, n, payout, paid_out) in claims {
        let c = line(&mut counties, &code);
        (c.claims, c.payout_fen, c.paid_out_fen) = (n, payout, paid_out);
    }
    counties.sort_by(|a, b| a.county_code.cmp(&b.county_code));
    let mut total = CountyFigures::default();
    for c in &counties {
        total.add(c);
    }

    let tiers: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT e.category, e.tier, COUNT(*), CAST(SUM(e.personal_fen) AS BIGINT),
                CAST(SUM(e.total_fen - e.personal_fen) AS BIGINT)
         FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.policy_year = $1 AND e.status = 'approved' AND ($2 = '' OR p.county_code = $2)
         GROUP BY e.category, e.tier ORDER BY e.category, e.tier",
    )
    .bind(y)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let tiers = tiers
        .into_iter()
        .map(
            |(category, tier, enrolled, personal_fen, subsidy_fen)| TierFigures {
                category,
                tier,
                enrolled,
                personal_fen,
                subsidy_fen,
            },
        )
        .collect();

    type KindRow = (String, i64, i64, i64, i64, i64, i64, i64, i64);
    let kinds: Vec<KindRow> = sqlx::query_as(
        "SELECT kind, COUNT(*),
                CAST(SUM(CASE WHEN status IN ('filed', 'first_review', 'second_review') THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(billed_fen) AS BIGINT),
                CAST(SUM(CASE WHEN status IN ('approved', 'paid') THEN payout_fen ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN status = 'paid' THEN payout_fen ELSE 0 END) AS BIGINT)
         FROM claims WHERE care_to >= $1 AND care_to <= $2 AND ($3 = '' OR county_code = $3)
         GROUP BY kind ORDER BY kind",
    )
    .bind(&from)
    .bind(&to)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let claim_kinds = kinds
        .into_iter()
        .map(|k| ClaimKindFigures {
            kind: k.0,
            filed: k.1,
            in_review: k.2,
            approved: k.3,
            refused: k.4,
            paid: k.5,
            billed_fen: k.6,
            payout_fen: k.7,
            paid_out_fen: k.8,
        })
        .collect();

    let refusals: Vec<(String, i64)> = sqlx::query_as(
        "SELECT COALESCE(reason, ''), COUNT(*) FROM claims
         WHERE status = 'refused' AND care_to >= $1 AND care_to <= $2 AND ($3 = '' OR county_code = $3)
         GROUP BY COALESCE(reason, '') ORDER BY COUNT(*) DESC, COALESCE(reason, '')",
    )
    .bind(&from)
    .bind(&to)
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;

    Ok(Statistics {
        year,
        counties,
        total,
        tiers,
        claim_kinds,
        refusals,
    })
}

/// The county lines and their total as CSV (UTF-8 with a BOM, so that a
/// spreadsheet opens the Chinese names right), amounts in yuan.
pub fn county_csv(s: &Statistics) -> String {
    fn yuan(fen: i64) -> String {
        policy::money::Money::from_fen(fen).to_string()
    }
    let mut out = String::from(
        "\u{feff}year,county_code,county,enrolled,awaiting_review,personal_share,subsidies,\
         premiums_paid,premiums_paid_amount,paid_online_amount,back_payments,unpaid,\
         claims,payout,paid_out\r\n",
    );
    let total = CountyFigures {
        name_zh: "合计".into(),
        ..s.total.clone()
    };
    for c in s.counties.iter().chain(std::iter::once(&total)) {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            s.year,
            c.county_code,
            crate::roster::csv_field(&c.name_zh),
            c.enrolled,
            c.awaiting_review,
            yuan(c.personal_fen),
            yuan(c.subsidy_fen),
            c.paid,
            yuan(c.paid_fen),
            yuan(c.paid_online_fen),
            c.back_payments,
            c.unpaid,
            c.claims,
            yuan(c.payout_fen),
            yuan(c.paid_out_fen),
        ));
    }
    out
}
