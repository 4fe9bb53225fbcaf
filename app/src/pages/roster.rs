//! `/school/roster`: a school agent checks and imports the roster of pupils
//! as a CSV or XLSX file, sees each bad row with its reasons, downloads the
//! bad rows to fix them, and marks pupils who graduated or left.
//!
//! The file goes up in a plain multipart form post to the server's
//! `/school/roster/upload` route, which answers with a redirect back here
//! (`?run=<id>` or `?error=<code>`): the same with or without WebAssembly,
//! and the report survives a reload.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::components::ErrorNote;
use crate::error::AppError;
use crate::i18n::{t, use_lang, with_n, Msg};

/// A bad row as the report table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRowLine {
    pub line: u32,
    pub id_masked: String,
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterReport {
    pub run_id: i64,
    pub dry_run: bool,
    pub policy_year: i32,
    pub file_name: String,
    pub rows_total: i64,
    pub rows_imported: i64,
    pub rows_already: i64,
    pub bad: Vec<BadRowLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterView {
    pub years: Vec<i32>,
    pub report: Option<RosterReport>,
}

#[server(endpoint = "school/roster")]
pub async fn roster_desk(run: Option<i64>) -> Result<RosterView, AppError> {
    let actor = crate::ssr::actor().await?;
    if actor.role != db::scope::Role::SchoolAgent {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    let report = match run {
        Some(id) => {
            let r = db::roster::report(&st.db, &actor, id).await?;
            Some(RosterReport {
                run_id: r.run_id,
                dry_run: r.mode == db::roster::Mode::DryRun,
                policy_year: r.policy_year,
                file_name: r.file_name,
                rows_total: r.rows_total,
                rows_imported: r.rows_imported,
                rows_already: r.rows_already,
                bad: r
                    .bad
                    .into_iter()
                    .map(|b| BadRowLine {
                        line: b.line,
                        id_masked: db::households::masked_id(&b.id_number),
                        name: b.name,
                        reasons: b.reasons,
                    })
                    .collect(),
            })
        }
        None => None,
    };
    Ok(RosterView {
        years: st.rules().years.keys().rev().copied().collect(),
        report,
    })
}

#[server(endpoint = "school/leave")]
pub async fn mark_pupil_left(id_number: String, reason: String) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let leaving =
        db::roster::Leaving::from_code(&reason).ok_or_else(|| AppError::bad_input("request"))?;
    db::roster::mark_left(
        &st.db,
        &actor,
        &id_number,
        leaving,
        db::local_date(db::now_ms()),
    )
    .await?;
    Ok(())
}

/// A report's reason or a refused file's code in the page's language.
fn reason(code: &str) -> String {
    AppError::bad_input(code.to_string()).message(use_lang())
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let query = use_query_map();
    let run = move || query.read().get("run").and_then(|r| r.parse::<i64>().ok());
    let refused = move || query.read().get("error");
    let desk = Resource::new(run, roster_desk);
    let leave = ServerAction::<MarkPupilLeft>::new();
    view! {
        <h1>{t(Msg::RosterTitle)}</h1>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(d) => view! {
                        <section class="card" aria-labelledby="roster-upload-h">
                            <h2 id="roster-upload-h">{t(Msg::RosterUpload)}</h2>
                            <p>{t(Msg::RosterIntro)}</p>
                            <p><a href="/school/roster/template.csv" download="roster-template.csv" rel="external">{t(Msg::RosterTemplate)}</a></p>
                            {refused().map(|code| view! { <p class="error" role="alert">{reason(&code)}</p> })}
                            <form class="stack" method="post" action="/school/roster/upload" enctype="multipart/form-data">
                                <label for="r_year">{t(Msg::PolicyYear)}</label>
                                <select id="r_year" name="policy_year">
                                    {d.years.iter().map(|y| view! { <option value=y.to_string()>{*y}</option> }).collect_view()}
                                </select>
                                <label for="r_file">{t(Msg::RosterFile)}</label>
                                <input id="r_file" name="file" type="file" required
                                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                                <div class="buttons">
                                    <button type="submit" name="mode" value="dry_run" class="secondary">{t(Msg::RosterDryRun)}</button>
                                    <button type="submit" name="mode" value="import">{t(Msg::RosterImport)}</button>
                                </div>
                            </form>
                        </section>
                        {d.report.map(|r| view! { <ReportCard r=r/> })}
                    }.into_any(),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="roster-leave-h">
            <h2 id="roster-leave-h">{t(Msg::RosterLeaveTitle)}</h2>
            <p>{t(Msg::RosterLeaveIntro)}</p>
            <ActionForm action=leave attr:class="stack">
                <label for="l_id_number">{t(Msg::IdNumber)}</label>
                <input id="l_id_number" name="id_number" required maxlength="30" autocomplete="off"/>
                <label for="l_reason">{t(Msg::RosterLeaveReason)}</label>
                <select id="l_reason" name="reason">
                    <option value="graduated">{t(Msg::RosterGraduated)}</option>
                    <option value="left">{t(Msg::RosterLeft)}</option>
                </select>
                <button type="submit">{t(Msg::RosterMarkLeft)}</button>
            </ActionForm>
            {move || leave.value().get().map(|r| match r {
                Ok(()) => view! { <p class="ok" role="status">{t(Msg::RosterMarkedLeft)}</p> }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ReportCard(r: RosterReport) -> impl IntoView {
    let bad = r.bad.len();
    let title = if r.dry_run {
        Msg::RosterDryRunReport
    } else {
        Msg::RosterImportReport
    };
    let counts = if r.dry_run {
        with_n(t(Msg::RosterWouldImport), r.rows_imported)
    } else {
        with_n(t(Msg::RosterImported), r.rows_imported)
    };
    let can_import = r.dry_run && r.rows_imported > 0;
    let id = r.run_id;
    view! {
        <section class="card report" aria-labelledby="roster-report-h">
            <h2 id="roster-report-h">{t(title)}</h2>
            <dl class="facts">
                <dt>{t(Msg::RosterFile)}</dt><dd class="wrap">{r.file_name.clone()}</dd>
                <dt>{t(Msg::PolicyYear)}</dt><dd>{r.policy_year}</dd>
                <dt>{t(Msg::RosterRows)}</dt><dd>{r.rows_total}</dd>
            </dl>
            <ul class="counts">
                <li class="ok">{counts}</li>
                <li>{with_n(t(Msg::RosterAlready), r.rows_already)}</li>
                <li class={if bad > 0 { "error" } else { "" }}>{with_n(t(Msg::RosterBad), bad)}</li>
            </ul>
            {can_import.then(|| view! {
                <form method="post" action=format!("/school/roster/{id}/import")>
                    <button type="submit">{t(Msg::RosterImportChecked)}</button>
                </form>
            })}
            {(bad > 0).then(|| view! {
                <p><a class="button secondary" href=format!("/school/roster/{id}/bad-rows.csv") download=format!("bad-rows-{id}.csv") rel="external">{t(Msg::RosterDownloadBad)}</a></p>
                <div class="table-scroll">
                    <table class="list bad-rows">
                        <caption>{t(Msg::RosterBadRows)}</caption>
                        <thead><tr>
                            <th scope="col">{t(Msg::RosterRow)}</th>
                            <th scope="col">{t(Msg::IdNumber)}</th>
                            <th scope="col">{t(Msg::Name)}</th>
                            <th scope="col">{t(Msg::RosterReason)}</th>
                        </tr></thead>
                        <tbody>
                            {r.bad.into_iter().map(|b| {
                                let why = b.reasons.iter().map(|c| reason(c)).collect::<Vec<_>>().join(" ");
                                view! {
                                    <tr>
                                        <td>{b.line}</td>
                                        <td class="mono">{b.id_masked}</td>
                                        <td>{b.name}</td>
                                        <td>{why}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
