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
