//! A county agency's statistical reports (`/reports?period=2027-03`): draft
//! the report of a period from the ledgers, explain the figures that changed
//! much from the previous period, sign it three times, and correct it by a
//! new version once submitted (信息统计管理规定 T7-T10); the league sees
//! which counties have submitted (T5). Server-rendered, plain forms
//! (server/src/reports.rs); a refused post comes back with what was typed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use policy::reports::{Change, Frequency, Period, SignOff};

use crate::components::{loaded, yuan};
use crate::error::AppError;
use crate::i18n::{claim_error, t, Msg, ReportMsg};
use crate::kept::{form_name, kept};

struct ReportsPage {
    period: Period,
    /// A county agency's own versions, oldest first, with the names of who signed.
    versions: Vec<(db::reports::Report, [Option<String>; 3])>,
    may_sign_as_head: bool,
    /// The league's view: each county with its newest version.
    counties: Option<Vec<(String, String, Option<db::reports::Report>)>>,
    /// The league's tables put forward for publication, with their column
    /// names, and the years one may put forward.
    pending: Vec<(db::publications::Publication, Vec<String>)>,
    years: Vec<i32>,
}

async fn reports_page(period: Option<String>) -> Result<ReportsPage, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let period = match period.filter(|p| !p.trim().is_empty()) {
        Some(p) => p.parse().map_err(|_| AppError::bad_input("period"))?,
        None => Period::containing(Frequency::Monthly, db::claims::today()).previous(),
    };
    if !actor.role.is_agency() {
        return Err(AppError::Forbidden);
    }
    let (versions, counties) = match &actor.county_code {
        Some(county) => {
            let mut out = Vec::new();
            for r in db::reports::versions(&st.db, &actor, county, period).await? {
                let names = db::reports::signers(&st.db, &r.signoffs).await?;
                out.push((r, names));
            }
            (out, None)
        }
        None => (
            vec![],
            Some(db::reports::counties(&st.db, &actor, period).await?),
        ),
    };
    let mut pending = Vec::new();
    if counties.is_some() {
        for p in db::publications::pending(&st.db, &actor).await? {
            let names = crate::pages::publications::county_names(&p.table.columns).await?;
            pending.push((p, names));
        }
    }
    Ok(ReportsPage {
        period,
        versions,
        may_sign_as_head: actor.role == db::scope::Role::AgencyAdmin,
        counties,
        pending,
        years: st.rules().years.keys().rev().copied().collect(),
    })
}

fn figure_name(key: &str) -> &'static str {
    t(match key {
        "enrolments_approved" => ReportMsg::FigEnrolmentsApproved,
        "premiums" => ReportMsg::FigPremiums,
        "premiums_fen" => ReportMsg::FigPremiumsFen,
        "premiums_online_fen" => ReportMsg::FigPremiumsOnlineFen,
        "back_payments" => ReportMsg::FigBackPayments,
        "claims_filed" => ReportMsg::FigClaimsFiled,
        "claims_approved" => ReportMsg::FigClaimsApproved,
        "claims_refused" => ReportMsg::FigClaimsRefused,
        "payout_fen" => ReportMsg::FigPayoutFen,
        _ => ReportMsg::FigPaidOutFen,
    })
}

/// A figure as read: money in yuan, counts as they are.
fn value(key: &str, v: i64) -> String {
    if key.ends_with("_fen") {
        yuan(v)
    } else {
        v.to_string()
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let (period, error, ok) =
        use_query_map().with(|q| (q.get("period"), q.get("error"), q.get("ok")));
    view! {
        <h1>{t(ReportMsg::Title)}</h1>
        <p class="muted">{t(ReportMsg::Help)}</p>
        {ok.map(|_| view! { <p class="ok" role="status">{t(ReportMsg::Done)}</p> })}
        {error.map(|code| view! { <p class="error" role="alert">{claim_error(&code)}</p> })}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(reports_page(period).await, |p| view! { <ReportsBody p=p/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn ReportsBody(p: ReportsPage) -> impl IntoView {
    let label = p.period.to_string();
    let newest = p.versions.last().cloned();
    let older: Vec<_> = p.versions.iter().rev().skip(1).cloned().collect();
    view! {
        <form method="get" action="/reports" class="inline card">
            <label for="period">{t(ReportMsg::Period)}</label>
            <input id="period" name="period" value=label.clone() maxlength="8" autocomplete="off"/>
            <button type="submit">{t(ReportMsg::Show)}</button>
        </form>
        {p.counties.map(|counties| view! {
            <Counties counties=counties/>
            <Publish pending=p.pending years=p.years head=p.may_sign_as_head/>
        })}
        {match newest {
            None => view! {
                <section class="card">
                    <p>{t(ReportMsg::NoReport)}</p>
                    <form method="post" action="/reports/draft">
                        <input type="hidden" name="period" value=label.clone()/>
                        <button type="submit">{t(ReportMsg::Draft)}</button>
                    </form>
                </section>
            }.into_any(),
            Some((r, names)) => view! { <Version r=r names=names head=p.may_sign_as_head/> }.into_any(),
        }}
        {(!older.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="older-h">
                <h2 id="older-h">{t(ReportMsg::Older)}</h2>
                {older.into_iter().map(|(r, _)| view! {
                    <details data-version=r.version>
                        <summary>{t(ReportMsg::Version)} " " {r.version} " · " {r.submitted_at.map(db::local_minute).unwrap_or_default()}</summary>
                        <Figures changes=r.changes explanations=r.explanations/>
                    </details>
                }).collect_view()}
            </section>
        })}
    }
}

#[component]
fn Counties(counties: Vec<(String, String, Option<db::reports::Report>)>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="counties-h">
            <h2 id="counties-h">{t(ReportMsg::Counties)}</h2>
            <table class="list" data-testid="report-counties">
                <thead><tr><th>{t(ReportMsg::County)}</th><th>{t(ReportMsg::Status)}</th></tr></thead>
                <tbody>
                    {counties.into_iter().map(|(code, name, r)| {
                        let status = match &r {
                            None => t(ReportMsg::NoReport).to_string(),
                            Some(r) if r.submitted => format!("{} · {} {} · {}", t(ReportMsg::Submitted), t(ReportMsg::Version), r.version, r.submitted_at.map(db::local_minute).unwrap_or_default()),
                            Some(r) => format!("{} · {} {}", t(ReportMsg::Drafted), t(ReportMsg::Version), r.version),
                        };
                        let class = if r.as_ref().is_some_and(|r| r.submitted) { "ok" } else { "error" };
                        view! { <tr data-county=code><td>{name}</td><td class=class>{status}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Figures(changes: Vec<Change>, explanations: Vec<(String, String)>) -> impl IntoView {
    view! {
        <table class="list" data-testid="report-figures">
            <thead><tr>
                <th>{t(ReportMsg::Figure)}</th><th class="num">{t(ReportMsg::Previous)}</th>
                <th class="num">{t(ReportMsg::Current)}</th><th class="num">{t(ReportMsg::Change)}</th><th>{t(ReportMsg::Explanation)}</th>
            </tr></thead>
            <tbody>
                {changes.into_iter().map(|c| {
                    let why = explanations.iter().find(|(k, _)| *k == c.key).map(|(_, v)| v.clone()).unwrap_or_default();
                    view! {
                        <tr data-figure=c.key.clone() class:warn=c.flagged>
                            <td>{figure_name(&c.key)}</td>
                            <td class="num">{c.before.map(|b| value(&c.key, b)).unwrap_or_default()}</td>
                            <td class="num">{value(&c.key, c.after)}</td>
                            <td class="num">{c.percent.map(|p| format!("{p}%")).unwrap_or_default()}</td>
                            <td>{why}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Version(r: db::reports::Report, names: [Option<String>; 3], head: bool) -> impl IntoView {
    let id = r.id;
    let flagged: Vec<String> = r
        .changes
        .iter()
        .filter(|c| c.flagged)
        .map(|c| c.key.clone())
        .collect();
    let roles = [
        (SignOff::Preparer, ReportMsg::Preparer),
        (SignOff::SectionHead, ReportMsg::SectionHead),
        (SignOff::AgencyHead, ReportMsg::AgencyHead),
    ];
    let next = r.signoffs.next();
    view! {
        <section class="card" aria-labelledby="report-h" data-report=id data-status=if r.submitted { "submitted" } else { "draft" }>
            <h2 id="report-h">{r.period.to_string()} " · " {t(ReportMsg::Version)} " " {r.version} " · "
                {if r.submitted { t(ReportMsg::Submitted) } else { t(ReportMsg::Drafted) }}</h2>
            {r.correction_reason.clone().map(|why| view! { <p class="warn">{t(ReportMsg::Corrects)} " " {why}</p> })}
            <Figures changes=r.changes.clone() explanations=r.explanations.clone()/>
            {(!r.submitted).then(|| view! {
                {flagged.into_iter().map(|key| {
                    let form: &'static str = "explain";
                    let typed = kept(form, "text", &r.explanations.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default());
                    view! {
                        <form method="post" action=format!("/reports/{id}/explain") class="stack">
                            {form_name(form)}
                            <input type="hidden" name="key" value=key.clone()/>
                            <label for=format!("why-{key}")>{t(ReportMsg::Explain)} " · " {figure_name(&key)}</label>
                            <input id=format!("why-{key}") name="text" maxlength="500" value=typed/>
                            <button type="submit" class="secondary">{t(ReportMsg::SaveExplanation)}</button>
                        </form>
                    }
                }).collect_view()}
                <form method="post" action="/reports/draft" class="inline">
                    <input type="hidden" name="period" value=r.period.to_string()/>
                    <button type="submit" class="secondary">{t(ReportMsg::Redraft)}</button>
                </form>
            })}
            <h3>{t(ReportMsg::Signatures)}</h3>
            <ul class="lines" data-testid="signatures">
                {roles.into_iter().zip(names).map(|((role, label), name)| view! {
                    <li data-role=role.code()>{t(label)} ": " {name.unwrap_or_else(|| t(ReportMsg::NotSigned).to_string())}
                        {(!r.submitted && next == Some(role) && (role != SignOff::AgencyHead || head)).then(|| view! {
                            " "
                            <form method="post" action=format!("/reports/{id}/sign") class="inline">
                                <input type="hidden" name="role" value=role.code()/>
                                <button type="submit">{t(ReportMsg::Sign)}</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {r.submitted.then(|| view! {
                <form method="post" action=format!("/reports/{id}/correct") class="stack">
                    {form_name("correct")}
                    <label for="reason">{t(ReportMsg::CorrectionReason)}</label>
                    <input id="reason" name="reason" maxlength="500" value=kept("correct", "reason", "")/>
                    <button type="submit" class="secondary">{t(ReportMsg::Correct)}</button>
                </form>
            })}
        </section>
    }
}

/// T16 for the league: put a table forward, and (the agency head) approve it.
#[component]
fn Publish(
    pending: Vec<(db::publications::Publication, Vec<String>)>,
    years: Vec<i32>,
    head: bool,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="publish-h">
            <h2 id="publish-h">{t(ReportMsg::PublishTitle)}</h2>
            <p class="muted">{t(ReportMsg::PublishHelp)}</p>
            <form method="post" action="/publications" class="inline">
                <label for="publish-year">{t(Msg::PolicyYear)}</label>
                <select id="publish-year" name="year">
                    {years.into_iter().map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                </select>
                <button type="submit">{t(ReportMsg::Propose)}</button>
            </form>
            {(!pending.is_empty()).then(|| view! { <h3>{t(ReportMsg::Pending)}</h3> })}
            {pending.into_iter().map(|(p, names)| {
                let id = p.id;
                view! {
                    <crate::pages::publications::PublishedTable p=p columns=names/>
                    {head.then(|| view! {
                        <form method="post" action=format!("/publications/{id}/approve")>
                            <button type="submit">{t(ReportMsg::Approve)}</button>
                        </form>
                    })}
                }
            }).collect_view()}
            <p><a href="/public/statistics" rel="external">{t(ReportMsg::PublicLink)}</a></p>
        </section>
    }
}
