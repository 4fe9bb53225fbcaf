//! The quarterly analysis (`/reports/analysis?year=2026`, T11): for each
//! county, quarter by quarter, persons enrolled and the fund's income and
//! spending, as bar charts drawn on the server in SVG (no script, readable
//! on a phone, printed as drawn) with the figures in a table beside them.
//! A quarter comes from the county's submitted quarterly report where there
//! is one, else from its ledgers; the table says which.

use db::reports::analysis::{Point, Trend};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{loaded, yuan};
use crate::error::AppError;
use crate::i18n::{t, Msg, ReportMsg};

struct Analysis {
    year: i32,
    trends: Vec<Trend>,
}

async fn analysis(year: Option<String>) -> Result<Analysis, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let today = db::claims::today();
    let year = match year.filter(|y| !y.trim().is_empty()) {
        Some(y) => y
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| st.rules().years.contains_key(y))
            .ok_or_else(|| AppError::bad_input("policy_year"))?,
        None => chrono::Datelike::year(&today),
    };
    let trends = db::reports::analysis::quarterly(&st.db, &actor, year, today).await?;
    Ok(Analysis { year, trends })
}

#[component]
pub fn AnalysisPage() -> impl IntoView {
    let year = use_query_map().with(|q| q.get("year"));
    view! {
        <h1>{t(ReportMsg::AnalysisTitle)}</h1>
        <p class="muted">{t(ReportMsg::AnalysisHelp)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(analysis(year).await, |a| view! { <AnalysisBody a=a/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn AnalysisBody(a: Analysis) -> impl IntoView {
    view! {
        <form method="get" action="/reports/analysis" class="inline card">
            <label for="year">{t(Msg::PolicyYear)}</label>
            <input id="year" name="year" value=a.year.to_string() inputmode="numeric" maxlength="4" size="4"/>
            <button type="submit">{t(ReportMsg::Show)}</button>
            " "<a href="/reports">{t(ReportMsg::Title)}</a>
        </form>
        {a.trends.into_iter().map(|trend| view! { <CountyTrend trend=trend/> }).collect_view()}
    }
}

#[component]
fn CountyTrend(trend: Trend) -> impl IntoView {
    let labels: Vec<String> = trend
        .points
        .iter()
        .map(|p| format!("Q{}", p.quarter.index))
        .collect();
    let persons = vec![Series {
        name: t(ReportMsg::ChartPersons),
        class: "s1",
        values: trend.points.iter().map(|p| p.enrolled).collect(),
    }];
    let fund = vec![
        Series {
            name: t(ReportMsg::Income),
            class: "s1",
            values: trend.points.iter().map(|p| p.income_fen).collect(),
        },
        Series {
            name: t(ReportMsg::Spending),
            class: "s2",
            values: trend.points.iter().map(|p| p.spending_fen).collect(),
        },
    ];
    view! {
        <section class="card analysis" data-county=trend.county_code.clone() aria-labelledby=format!("trend-{}", trend.county_code)>
            <h2 id=format!("trend-{}", trend.county_code)>{trend.name}</h2>
            <div class="charts">
                <BarChart title=t(ReportMsg::ChartPersons) labels=labels.clone() series=persons money=false/>
                <BarChart title=t(ReportMsg::ChartFund) labels=labels series=fund money=true/>
            </div>
            <TrendTable points=trend.points/>
        </section>
    }
}

/// One series of bars: its name (in the legend), CSS class (its colour) and values.
#[derive(Clone)]
struct Series {
    name: &'static str,
    class: &'static str,
    values: Vec<i64>,
}

/// The chart's drawing box, in SVG units (it scales to its container).
const W: i64 = 320;
const H: i64 = 180;
const TOP: i64 = 24;
const BOTTOM: i64 = 24;

/// A bar's height for `value` against the largest value, in SVG units.
fn bar_height(value: i64, max: i64) -> i64 {
    if max <= 0 {
        0
    } else {
        value.max(0) * (H - TOP - BOTTOM) / max
    }
}

/// A value as a bar's label: money in yuan without fen (space is short), counts as they are.
fn short(value: i64, money: bool) -> String {
    if money {
        (value / 100).to_string()
    } else {
        value.to_string()
    }
}

/// Grouped bars, one group per label, one bar per series, each with its
/// value above it, drawn to scale from zero.
#[component]
fn BarChart(
    title: &'static str,
    labels: Vec<String>,
    series: Vec<Series>,
    money: bool,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let groups = i64::try_from(labels.len().max(1)).unwrap_or(1);
    let per = i64::try_from(series.len().max(1)).unwrap_or(1);
    let group_w = W / groups;
    let bar_w = (group_w - 12) / per;
    let base = H - BOTTOM;
    let bars: Vec<_> = series
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            let si = i64::try_from(si).unwrap_or(0);
            s.values.iter().enumerate().map(move |(gi, v)| {
                let gi = i64::try_from(gi).unwrap_or(0);
                let h = bar_height(*v, max);
                let x = gi * group_w + 6 + si * bar_w;
                (s.class, x, base - h, h, *v)
            })
        })
        .collect();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title preserveAspectRatio="xMidYMid meet">
                <title>{title}</title>
                <line x1="0" y1=base x2=W y2=base class="axis"/>
                {bars.into_iter().map(|(class, x, y, h, v)| view! {
                    <rect class=format!("bar {class}") x=x y=y width=(bar_w - 2).max(1) height=h/>
                    <text x=x + (bar_w - 2) / 2 y=(y - 3).max(10) text-anchor="middle" class="value">{short(v, money)}</text>
                }).collect_view()}
                {labels.iter().enumerate().map(|(gi, l)| {
                    let gi = i64::try_from(gi).unwrap_or(0);
                    view! { <text x=gi * group_w + group_w / 2 y=H - 6 text-anchor="middle" class="label">{l.clone()}</text> }
                }).collect_view()}
            </svg>
            <figcaption>
                {title}
                {(series.len() > 1).then(|| series.iter().map(|s| view! {
                    " " <span class=format!("key {}", s.class)>"■"</span> " " {s.name}
                }).collect_view())}
            </figcaption>
        </figure>
    }
}

/// The figures the charts draw, with where each quarter comes from.
#[component]
fn TrendTable(points: Vec<Point>) -> impl IntoView {
    view! {
        <table class="list" data-testid="trend">
            <thead><tr>
                <th>{t(ReportMsg::Quarter)}</th><th class="num">{t(ReportMsg::ChartPersons)}</th>
                <th class="num">{t(ReportMsg::Income)}</th><th class="num">{t(ReportMsg::Spending)}</th><th></th>
            </tr></thead>
            <tbody>
                {points.into_iter().map(|p| view! {
                    <tr data-quarter=p.quarter.to_string()>
                        <td>{p.quarter.to_string()}</td><td class="num">{p.enrolled}</td>
                        <td class="num">{yuan(p.income_fen)}</td><td class="num">{yuan(p.spending_fen)}</td>
                        <td>{if p.submitted { t(ReportMsg::FromReport) } else { t(ReportMsg::FromLedger) }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
