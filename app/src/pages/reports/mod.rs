//! The agencies' statistical reports (`/reports?period=2027-03`): a county
//! drafts the report of a period from its ledgers, explains the figures
//! that changed much, signs it three times, corrects it by a new version
//! once submitted (信息统计管理规定 T7-T10), downloads it (CSV, XLSX) and
//! gives it outside with its statistics head's approval (T14). The league
//! sets which reports are due, sees who is late, drafts its own report from
//! the counties' submitted versions (T4-T6), says who may read which part
//! (T15) and publishes (T16). Server-rendered, plain forms
//! (server/src/reports.rs); a refused post comes back with what was typed.
//! Every version shown is recorded as read.

mod analysis;
mod figures;
mod league;

pub use analysis::AnalysisPage;
pub use figures::figure_label;

use chrono::NaiveDate;
use db::reports::access::{Read, Reading, Release};
use db::reports::Report;
use db::scope::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use policy::reports::figures::Section;
use policy::reports::{Frequency, Period, SignOff};

use crate::components::loaded;
use crate::error::AppError;
use crate::i18n::{claim_error, t, Msg, ReportMsg};
use crate::kept::{form_name, kept};
use figures::Figures;
use league::{ChargeWeekly, LeagueDesk, LeagueView};

/// One version as the reader may see it.
#[derive(Clone)]
struct Shown {
    r: Report,
    names: [Option<String>; 3],
    releases: Vec<Release>,
    /// Its readings, for the agency's administrators.
    reads: Vec<Read>,
}

struct ReportsPage {
    period: Period,
    /// The agency's own versions (a county's, or the league's consolidated
    /// ones), oldest first.
    versions: Vec<Shown>,
    head: bool,
    /// The reader's user id (a release is approved by somebody else).
    me: i64,
    /// Some sections are not the reader's to see.
    hidden: bool,
    league: Option<LeagueView>,
    /// A county's notices of the assisted awaiting approval, and the years
    /// one may put forward.
    notices: Option<(Vec<db::subsidy_notices::Notice>, Vec<i32>)>,
    /// A county's administrator: who has the weekly return, and whom one may charge.
    weekly_staff: Option<db::reports::schedule::WeeklyStaff>,
}

async fn reports_page(period: Option<String>) -> Result<ReportsPage, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let today = db::claims::today();
    let period = match period.filter(|p| !p.trim().is_empty()) {
        Some(p) => p.parse().map_err(|_| AppError::bad_input("period"))?,
        None => Period::containing(Frequency::Monthly, today).previous(),
    };
    if !actor.role.is_agency() {
        return Err(AppError::Forbidden);
    }
    let head = actor.role == Role::AgencyAdmin;
    let owner = actor
        .county_code
        .clone()
        .or_else(|| actor.org_code.clone())
        .ok_or(AppError::Forbidden)?;
    let sections = db::reports::access::sections(&st.db, actor.role).await?;
    let mut versions = Vec::new();
    for r in db::reports::versions(&st.db, &actor, &owner, period).await? {
        let r = db::reports::access::shown(&st.db, &actor, r, &sections, Reading::View).await?;
        let names = db::reports::signers(&st.db, &r.signoffs).await?;
        let releases = db::reports::access::releases(&st.db, &actor, r.id).await?;
        let reads = if head {
            db::reports::access::reads(&st.db, &actor, r.id).await?
        } else {
            vec![]
        };
        versions.push(Shown {
            r,
            names,
            releases,
            reads,
        });
    }
    let hidden = sections.len() < Section::ALL.len();
    let league = match actor.county_code {
        None => Some(league::league_view(&st, &actor, period, today).await?),
        Some(_) => None,
    };
    let weekly_staff = match (&actor.county_code, head) {
        (Some(_), true) => Some(db::reports::schedule::weekly_staff(&st.db, &actor).await?),
        _ => None,
    };
    let notices = match &actor.county_code {
        Some(_) => Some((
            db::subsidy_notices::pending(&st.db, &actor).await?,
            st.rules().years.keys().rev().copied().collect(),
        )),
        None => None,
    };
    Ok(ReportsPage {
        notices,
        period,
        versions,
        head,
        me: actor.user_id,
        hidden,
        league,
        weekly_staff,
    })
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
    let older: Vec<Shown> = p.versions.iter().rev().skip(1).cloned().collect();
    let is_league = p.league.is_some();
    view! {
        <form method="get" action="/reports" class="inline card">
            <label for="period">{t(ReportMsg::Period)}</label>
            <input id="period" name="period" value=label.clone() maxlength="8" autocomplete="off"/>
            <button type="submit">{t(ReportMsg::Show)}</button>
            " "<a href=format!("/reports/analysis?year={}", p.period.year)>{t(ReportMsg::AnalysisLink)}</a>
        </form>
        {p.hidden.then(|| view! { <p class="muted">{t(ReportMsg::Hidden)}</p> })}
        {p.league.map(|l| view! { <LeagueDesk l=l period=p.period head=p.head/> })}
        {p.weekly_staff.map(|w| view! { <ChargeWeekly charged=w.charged staff=w.staff/> })}
        {p.notices.map(|(pending, years)| view! { <Notices pending=pending years=years head=p.head me=p.me/> })}
        {is_league.then(|| view! {
            <h2 id="own-h">{t(ReportMsg::LeagueReport)}</h2>
            <p class="muted">{t(ReportMsg::LeagueHelp)}</p>
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
            Some(s) => view! { <Version s=s head=p.head me=p.me/> }.into_any(),
        }}
        {(!older.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="older-h">
                <h2 id="older-h">{t(ReportMsg::Older)}</h2>
                {older.into_iter().map(|s| view! {
                    <details data-version=s.r.version>
                        <summary>{t(ReportMsg::Version)} " " {s.r.version} " · " {s.r.submitted_at.map(db::local_minute).unwrap_or_default()}</summary>
                        <Downloads id=s.r.id/>
                        <Figures changes=s.r.changes explanations=s.r.explanations/>
                    </details>
                }).collect_view()}
            </section>
        })}
    }
}

#[component]
fn Downloads(id: i64) -> impl IntoView {
    view! {
        <p class="lines">
            <a href=format!("/reports/{id}/csv") download="">{t(ReportMsg::DownloadCsv)}</a>
            " · "
            <a href=format!("/reports/{id}/xlsx") download="">{t(ReportMsg::DownloadXlsx)}</a>
        </p>
    }
}

#[component]
fn Version(s: Shown, head: bool, me: i64) -> impl IntoView {
    let Shown {
        r,
        names,
        releases,
        reads,
    } = s;
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
    let lang = crate::i18n::use_lang();
    view! {
        <section class="card" aria-labelledby="report-h" data-report=id data-status=if r.submitted { "submitted" } else { "draft" }>
            <h2 id="report-h">{r.period.to_string()} " · " {t(ReportMsg::Version)} " " {r.version} " · "
                {if r.submitted { t(ReportMsg::Submitted) } else { t(ReportMsg::Drafted) }}</h2>
            {r.correction_reason.clone().map(|why| view! { <p class="warn">{t(ReportMsg::Corrects)} " " {why}</p> })}
            {(!r.sources.is_empty()).then(|| view! {
                <p data-testid="sources">{t(ReportMsg::Sources)} ": "
                    {r.sources.iter().map(|s| format!("{} v{}", s.county_code, s.version)).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            <Downloads id=id/>
            <Figures changes=r.changes.clone() explanations=r.explanations.clone()/>
            {(!r.submitted).then(|| view! {
                {flagged.into_iter().map(|key| {
                    let form: &'static str = "explain";
                    let typed = kept(form, "text", &r.explanations.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default());
                    view! {
                        <form method="post" action=format!("/reports/{id}/explain") class="stack">
                            {form_name(form)}
                            <input type="hidden" name="key" value=key.clone()/>
                            <label for=format!("why-{key}")>{t(ReportMsg::Explain)} " · " {figure_label(lang, &key)}</label>
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
                <Releases id=id releases=releases head=head me=me/>
            })}
            {(!reads.is_empty()).then(|| view! { <Reads reads=reads/> })}
        </section>
    }
}

/// T14: figures for a body outside the scheme, asked for and approved.
#[component]
fn Releases(id: i64, releases: Vec<Release>, head: bool, me: i64) -> impl IntoView {
    view! {
        <h3 id="release-h">{t(ReportMsg::ReleaseTitle)}</h3>
        <p class="muted">{t(ReportMsg::ReleaseHelp)}</p>
        <ul class="lines" data-testid="releases">
            {releases.into_iter().map(|r| {
                let rid = r.id;
                let approved = r.approved_at.is_some();
                view! {
                    <li data-release=rid>
                        {r.recipient} " · " {r.purpose} " · " {r.requester} " · "
                        {if approved { t(ReportMsg::ApprovedRelease) } else { t(ReportMsg::AwaitingApproval) }}
                        {(!approved && head && me != r.requested_by).then(|| view! {
                            " "
                            <form method="post" action=format!("/releases/{rid}/approve") class="inline">
                                <button type="submit">{t(ReportMsg::ApproveRelease)}</button>
                            </form>
                        })}
                        {approved.then(|| view! { " " <a href=format!("/releases/{rid}/csv") download="">{t(ReportMsg::ReleaseFile)}</a> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <form method="post" action=format!("/reports/{id}/release") class="stack">
            {form_name("release")}
            <label for="recipient">{t(ReportMsg::Recipient)}</label>
            <input id="recipient" name="recipient" maxlength="200" value=kept("release", "recipient", "")/>
            <label for="purpose">{t(ReportMsg::Purpose)}</label>
            <input id="purpose" name="purpose" maxlength="500" value=kept("release", "purpose", "")/>
            <button type="submit" class="secondary">{t(ReportMsg::RequestRelease)}</button>
        </form>
    }
}

/// T15: who read this version, when and how.
#[component]
fn Reads(reads: Vec<Read>) -> impl IntoView {
    view! {
        <details data-testid="reads">
            <summary>{t(ReportMsg::ReadsTitle)} " (" {reads.len()} ")"</summary>
            <ul class="lines">
                {reads.into_iter().map(|r| {
                    let how = match r.kind.as_str() {
                        "csv" => ReportMsg::ReadCsv,
                        "xlsx" => ReportMsg::ReadXlsx,
                        "release" => ReportMsg::ReadRelease,
                        _ => ReportMsg::ReadView,
                    };
                    view! { <li>{db::local_minute(r.at)} " · " {r.name} " · " {t(how)}</li> }
                }).collect_view()}
            </ul>
        </details>
    }
}

/// The day a period's report is due, read for the schedule's tables.
fn due_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// 张榜公布 for a county: put the year's list forward; its head publishes it.
#[component]
fn Notices(
    pending: Vec<db::subsidy_notices::Notice>,
    years: Vec<i32>,
    head: bool,
    me: i64,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="notices-h">
            <h2 id="notices-h">{t(ReportMsg::NoticeTitle)}</h2>
            <p class="muted">{t(ReportMsg::NoticeHelp)}</p>
            <form method="post" action="/subsidy-notices" class="inline">
                <label for="notice-year">{t(Msg::PolicyYear)}</label>
                <select id="notice-year" name="year">
                    {years.into_iter().map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                </select>
                <button type="submit">{t(ReportMsg::NoticePropose)}</button>
            </form>
            {(!pending.is_empty()).then(|| view! { <h3>{t(ReportMsg::NoticePending)}</h3> })}
            {pending.into_iter().map(|n| {
                let (id, mine) = (n.id, n.proposed_by == me);
                view! {
                    <details>
                        <summary>{n.policy_year} " · " {t(ReportMsg::NoticePersons)} " " {n.lines.len()}</summary>
                        <crate::pages::publications::NoticeList n=n county=String::new()/>
                    </details>
                    {(head && !mine).then(|| view! {
                        <form method="post" action=format!("/subsidy-notices/{id}/approve")>
                            <button type="submit">{t(ReportMsg::NoticeApprove)}</button>
                        </form>
                    })}
                }
            }).collect_view()}
            <p><a href="/public/notices" rel="external">{t(ReportMsg::NoticeLink)}</a></p>
        </section>
    }
}
