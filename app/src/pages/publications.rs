//! Published statistics (`/public/statistics`, T16): the tables the league
//! agency has approved, for anyone without logging in, on a phone or
//! printed. Counts under the league's threshold, and those that a total
//! would give back, show as "—" and are never sent.

use leptos::prelude::*;

use crate::components::loaded;
use crate::error::AppError;
use crate::i18n::{code_text, t, t_args, use_lang, ReportMsg};
use policy::reports::Cell;

struct Tables {
    tables: Vec<(db::publications::Publication, Vec<String>)>,
}

/// The county names of a table's columns, in the reader's language.
pub(crate) async fn county_names(codes: &[String]) -> Result<Vec<String>, AppError> {
    let st = crate::ssr::state()?;
    let lang = use_lang();
    let mut out = Vec::new();
    for code in codes {
        let name = db::orgs::county_agency(&st.db, code)
            .await?
            .map(|o| lang.pick(&o.name_zh, &o.name_en).to_string())
            .unwrap_or_else(|| code.clone());
        out.push(name);
    }
    Ok(out)
}

async fn tables() -> Result<Tables, AppError> {
    let st = crate::ssr::state()?;
    let mut tables = Vec::new();
    for p in db::publications::published(&st.db).await? {
        let names = county_names(&p.table.columns).await?;
        tables.push((p, names));
    }
    Ok(Tables { tables })
}

#[component]
pub fn PublicStatisticsPage() -> impl IntoView {
    view! {
        <h1>{t(ReportMsg::PublicTitle)}</h1>
        <Suspense fallback=|| view! { <p>{t(crate::i18n::Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(tables().await, |d| if d.tables.is_empty() {
                    view! { <p>{t(ReportMsg::NothingPublished)}</p> }.into_any()
                } else {
                    d.tables.into_iter().map(|(p, names)| view! { <PublishedTable p=p columns=names/> }).collect_view().into_any()
                })
            })}
        </Suspense>
    }
}

/// One table as the public reads it: suppressed counts as "—".
#[component]
pub fn PublishedTable(p: db::publications::Publication, columns: Vec<String>) -> impl IntoView {
    let public = p.public();
    let rows: Vec<String> = p
        .table
        .rows
        .iter()
        .map(|r| code_text(r).to_string())
        .chain(std::iter::once(t(ReportMsg::Total).to_string()))
        .collect();
    let show = |c: &Cell| match c {
        Cell::Shown(n) => n.to_string(),
        Cell::Suppressed => "—".to_string(),
    };
    view! {
        <section class="card" aria-labelledby=format!("pub-{}", p.id) data-publication=p.id>
            <h2 id=format!("pub-{}", p.id)>{t_args(ReportMsg::EnrolledByTierTitle, &[("year", p.policy_year.to_string())])}</h2>
            <div class="table-scroll">
            <table class="list" data-testid="published-table">
                <thead><tr>
                    <th>{t(ReportMsg::TierColumn)}</th>
                    {columns.into_iter().map(|c| view! { <th class="num">{c}</th> }).collect_view()}
                    <th class="num">{t(ReportMsg::Total)}</th>
                </tr></thead>
                <tbody>
                    {public.cells.iter().zip(rows).map(|(line, label)| view! {
                        <tr><th scope="row">{label}</th>
                            {line.iter().map(|c| view! { <td class="num">{show(c)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="muted">{t_args(ReportMsg::SuppressedNote, &[("n", p.threshold.to_string())])}</p>
        </section>
    }
}

/// 张榜公布 (`/public/notices`): the counties' published lists of those who
/// receive the increased subsidy, for anyone without logging in. Names with
/// masked ID numbers and their office; never why.
#[component]
pub fn PublicNoticesPage() -> impl IntoView {
    view! {
        <h1>{t(ReportMsg::NoticeTitle)}</h1>
        <Suspense fallback=|| view! { <p>{t(crate::i18n::Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(notices().await, |d| if d.is_empty() {
                    view! { <p>{t(ReportMsg::NoticeNothing)}</p> }.into_any()
                } else {
                    d.into_iter().map(|(n, county)| view! { <NoticeList n=n county=county/> }).collect_view().into_any()
                })
            })}
        </Suspense>
    }
}

async fn notices() -> Result<Vec<(db::subsidy_notices::Notice, String)>, AppError> {
    let st = crate::ssr::state()?;
    let mut out = Vec::new();
    for n in db::subsidy_notices::published(&st.db).await? {
        let county = county_names(std::slice::from_ref(&n.county_code))
            .await?
            .pop()
            .unwrap_or_default();
        out.push((n, county));
    }
    Ok(out)
}

/// One county's notice of a year, office by office (a notice is posted
/// where people live): each office's list folds, so a phone shows the
/// offices first.
#[component]
pub fn NoticeList(n: db::subsidy_notices::Notice, county: String) -> impl IntoView {
    let mut offices: Vec<(String, Vec<db::subsidy_notices::Line>)> = Vec::new();
    for line in n.lines.iter().cloned() {
        match offices.iter_mut().find(|(o, _)| *o == line.office) {
            Some((_, lines)) => lines.push(line),
            None => offices.push((line.office.clone(), vec![line])),
        }
    }
    view! {
        <section class="card" data-notice=n.id aria-labelledby=format!("notice-{}", n.id)>
            <h2 id=format!("notice-{}", n.id)>{county} " · " {n.policy_year}</h2>
            <p class="muted">{t(ReportMsg::NoticePersons)} ": " {n.lines.len()}
                {n.published_at.map(|at| view! { " · " {db::local_minute(at)} })}</p>
            {offices.into_iter().map(|(office, lines)| view! {
                <details class="notice-office">
                    <summary>{office} " · " {lines.len()}</summary>
                    <table class="list" data-testid="notice">
                        <thead><tr><th>{t(ReportMsg::NoticeName)}</th><th>{t(ReportMsg::NoticeId)}</th></tr></thead>
                        <tbody>
                            {lines.into_iter().map(|l| view! { <tr><td>{l.name}</td><td>{l.id}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </details>
            }).collect_view()}
            <p class="muted">{t(ReportMsg::NoticeObjection)}</p>
        </section>
    }
}
