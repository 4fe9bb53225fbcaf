//! The agency's statistics of a policy year (`/stats?year=Y`): enrolment and
//! premiums per county, enrolment by category and tier, and claims by kind
//! with the reasons for refusal; the county table also as CSV
//! (`/stats.csv?year=Y`, server/src/statistics.rs).
//!
//! Rendered on the server only: a report to read and print, nothing to
//! hydrate.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{loaded, yuan};
use crate::error::AppError;
use crate::i18n::{claim_code_text, code_text, t, use_lang, Msg, StatsMsg};
use db::statistics::{CountyFigures, Statistics};

fn num_heads(msgs: &[StatsMsg]) -> impl IntoView {
    msgs.iter()
        .map(|m| view! { <th class="num">{t(*m)}</th> })
        .collect_view()
}

fn num_cells(values: Vec<String>) -> impl IntoView {
    values
        .into_iter()
        .map(|v| view! { <td class="num">{v}</td> })
        .collect_view()
}

struct StatsPage {
    years: Vec<i32>,
    stats: Statistics,
    period: policy::reports::Period,
    owed: Vec<db::subsidy_owed::OwedLine>,
}

/// The period asked for (`?period=2027-Q1`), else this month.
fn chosen_period(asked: Option<String>) -> Result<policy::reports::Period, AppError> {
    use policy::reports::{Frequency, Period};
    match asked.filter(|p| !p.trim().is_empty()) {
        Some(p) => p.parse().map_err(|_| AppError::bad_input("period")),
        None => Ok(Period::containing(Frequency::Monthly, db::claims::today())),
    }
}

/// The year asked for, else this year if it has parameters, else the latest.
fn chosen_year(asked: Option<String>, years: &[i32]) -> Result<i32, AppError> {
    match asked.filter(|y| !y.is_empty()) {
        Some(y) => y
            .parse()
            .ok()
            .filter(|y| years.contains(y))
            .ok_or_else(|| AppError::bad_input("policy_year")),
        None => {
            let this = db::claims::today().year();
            Ok(if years.contains(&this) {
                this
            } else {
                years.first().copied().unwrap_or(this)
            })
        }
    }
}

async fn stats_page(asked: Option<String>, period: Option<String>) -> Result<StatsPage, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let years: Vec<i32> = st.rules().years.keys().rev().copied().collect();
    let year = chosen_year(asked, &years)?;
    let period = chosen_period(period)?;
    let stats = db::statistics::year(&st.db, &actor, year).await?;
    let owed =
        db::subsidy_owed::owed(&st.db, &actor, period.first_day(), period.last_day()).await?;
    Ok(StatsPage {
        years,
        stats,
        period,
        owed,
    })
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let (asked, period) = use_query_map().with(|q| (q.get("year"), q.get("period")));
    view! {
        <h1>{t(Msg::StatisticsNav)}</h1>
        <p class="muted">{t(StatsMsg::Help)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(stats_page(asked, period).await, |d| view! { <StatsBody d=d/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn StatsBody(d: StatsPage) -> impl IntoView {
    let s = d.stats;
    let year = s.year;
    let lang = use_lang();
    let total = CountyFigures {
        name_zh: t(StatsMsg::Total).into(),
        name_en: t(StatsMsg::Total).into(),
        ..s.total.clone()
    };
    let lines: Vec<(bool, CountyFigures)> = s
        .counties
        .into_iter()
        .map(|c| (false, c))
        .chain(std::iter::once((true, total)))
        .collect();
    let claim_lines = lines.clone();
    view! {
        <form method="get" action="/stats" class="inline card">
            <label for="year">{t(StatsMsg::Year)}</label>
            <select id="year" name="year">
                {d.years.into_iter().map(|y| view! {
                    <option value=y.to_string() selected={y == year}>{y}</option>
                }).collect_view()}
            </select>
            <button type="submit">{t(StatsMsg::Show)}</button>
            " "
            <a href=format!("/stats.csv?year={year}") rel="external" download>{t(StatsMsg::DownloadCsv)}</a>
        </form>
        <section class="card" aria-labelledby="enrolment">
            <h2 id="enrolment">{t(StatsMsg::Enrolment)} " · " {year}</h2>
            <div class="table-scroll">
            <table class="list wide" data-testid="stats-counties">
                <thead><tr>
                    <th>{t(StatsMsg::County)}</th>
                    {num_heads(&[StatsMsg::Enrolled, StatsMsg::AwaitingReview, StatsMsg::PersonalShare, StatsMsg::Subsidies, StatsMsg::Paid, StatsMsg::PaidAmount, StatsMsg::PaidOnline, StatsMsg::BackPayments, StatsMsg::Unpaid])}
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|(is_total, c)| view! {
                        <tr class:total=is_total data-county=c.county_code.clone()>
                            <th scope="row">{lang.pick(&c.name_zh, &c.name_en).to_string()}</th>
                            {num_cells(vec![c.enrolled.to_string(), c.awaiting_review.to_string(), yuan(c.personal_fen), yuan(c.subsidy_fen), c.paid.to_string(), yuan(c.paid_fen), yuan(c.paid_online_fen), c.back_payments.to_string(), c.unpaid.to_string()])}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
        <section class="card" aria-labelledby="tiers">
            <h2 id="tiers">{t(StatsMsg::ByTier)}</h2>
            {s.tiers.is_empty().then(|| view! { <p>{t(StatsMsg::Nothing)}</p> })}
            <div class="table-scroll">
            <table class="list" data-testid="stats-tiers">
                <thead><tr>
                    <th>{t(StatsMsg::Category)}</th><th>{t(StatsMsg::Tier)}</th>
                    {num_heads(&[StatsMsg::Persons, StatsMsg::PersonalShare, StatsMsg::Subsidies])}
                </tr></thead>
                <tbody>
                    {s.tiers.into_iter().map(|r| view! {
                        <tr>
                            <td>{code_text(&r.category)}</td><td>{code_text(&r.tier)}</td>
                            {num_cells(vec![r.enrolled.to_string(), yuan(r.personal_fen), yuan(r.subsidy_fen)])}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
        <section class="card" aria-labelledby="claims">
            <h2 id="claims">{t(StatsMsg::Claims)}</h2>
            {s.claim_kinds.is_empty().then(|| view! { <p>{t(StatsMsg::Nothing)}</p> })}
            <div class="table-scroll">
            <table class="list wide" data-testid="stats-claims">
                <thead><tr>
                    <th>{t(crate::i18n::ClaimMsg::Kind)}</th>
                    {num_heads(&[StatsMsg::Filed, StatsMsg::InReview, StatsMsg::Approved, StatsMsg::Refused, StatsMsg::PaidClaims, StatsMsg::Billed, StatsMsg::Payout, StatsMsg::PaidOut])}
                </tr></thead>
                <tbody>
                    {s.claim_kinds.into_iter().map(|k| view! {
                        <tr data-kind=k.kind.clone()>
                            <td>{claim_code_text(&k.kind)}</td>
                            {num_cells(vec![k.filed.to_string(), k.in_review.to_string(), k.approved.to_string(), k.refused.to_string(), k.paid.to_string(), yuan(k.billed_fen), yuan(k.payout_fen), yuan(k.paid_out_fen)])}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <h3>{t(StatsMsg::County)}</h3>
            <div class="table-scroll">
            <table class="list" data-testid="stats-claims-counties">
                <thead><tr>
                    <th>{t(StatsMsg::County)}</th>
                    {num_heads(&[StatsMsg::ClaimCount, StatsMsg::Payout, StatsMsg::PaidOut])}
                </tr></thead>
                <tbody>
                    {claim_lines.into_iter().map(|(is_total, c)| view! {
                        <tr class:total=is_total data-county=c.county_code.clone()>
                            <th scope="row">{lang.pick(&c.name_zh, &c.name_en).to_string()}</th>
                            {num_cells(vec![c.claims.to_string(), yuan(c.payout_fen), yuan(c.paid_out_fen)])}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {(!s.refusals.is_empty()).then(|| view! {
                <h3>{t(StatsMsg::Refusals)}</h3>
                <ul class="lines" data-testid="stats-refusals">
                    {s.refusals.into_iter().map(|(reason, n)| view! {
                        <li>{claim_code_text(&reason)} " · " {n}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
        <SubsidyOwed period=d.period owed=d.owed year=year/>
    }
}

/// What each level of government owes for the persons paid in a period
/// (E6, E7, F7), county by county and tier by tier, with the total.
#[component]
fn SubsidyOwed(
    period: policy::reports::Period,
    owed: Vec<db::subsidy_owed::OwedLine>,
    year: i32,
) -> impl IntoView {
    let mut total = db::subsidy_owed::OwedLine::default();
    for l in &owed {
        total.persons += l.persons;
        total.central_fen += l.central_fen;
        total.region_fen += l.region_fen;
        total.league_fen += l.league_fen;
        total.county_fen += l.county_fen;
    }
    let cells = |l: &db::subsidy_owed::OwedLine| {
        num_cells(vec![
            l.persons.to_string(),
            yuan(l.central_fen),
            yuan(l.region_fen),
            yuan(l.league_fen),
            yuan(l.county_fen),
            yuan(l.total_fen()),
        ])
    };
    let label = period.to_string();
    view! {
        <section class="card" aria-labelledby="owed">
            <h2 id="owed">{t(StatsMsg::OwedTitle)} " · " {label.clone()}</h2>
            <p class="muted">{t(StatsMsg::OwedHelp)}</p>
            <form method="get" action="/stats#owed" class="inline">
                <input type="hidden" name="year" value=year.to_string()/>
                <label for="period">{t(StatsMsg::Period)}</label>
                <input id="period" name="period" value=label.clone() maxlength="8" autocomplete="off"/>
                <button type="submit">{t(StatsMsg::Show)}</button>
                " "
                <a href=format!("/stats/subsidy.csv?period={label}") rel="external" download>{t(StatsMsg::OwedCsv)}</a>
            </form>
            {if owed.is_empty() {
                view! { <p>{t(StatsMsg::Nothing)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table class="list wide" data-testid="stats-owed">
                        <thead><tr>
                            <th>{t(StatsMsg::County)}</th><th>{t(StatsMsg::Tier)}</th>
                            {num_heads(&[StatsMsg::Persons, StatsMsg::Central, StatsMsg::Region, StatsMsg::League, StatsMsg::CountyLevel, StatsMsg::OwedTotal])}
                        </tr></thead>
                        <tbody>
                            {owed.iter().map(|l| view! {
                                <tr data-county=l.county_code.clone() data-tier=l.tier.clone()>
                                    <td class="mono">{l.county_code.clone()}</td><td>{code_text(&l.tier)}</td>
                                    {cells(l)}
                                </tr>
                            }).collect_view()}
                            <tr class="total">
                                <th scope="row" colspan="2">{t(StatsMsg::Total)}</th>
                                {cells(&total)}
                            </tr>
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_one_with_parameters() {
        let years = [2010, 2009];
        assert_eq!(chosen_year(Some("2009".into()), &years).unwrap(), 2009);
        assert!(chosen_year(Some("2011".into()), &years).is_err());
        assert!(chosen_year(Some("20x9".into()), &years).is_err());
        let default = chosen_year(None, &years).unwrap();
        assert!(years.contains(&default));
        assert_eq!(chosen_year(Some(String::new()), &years).unwrap(), default);
    }
}
