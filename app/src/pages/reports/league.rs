//! The league's desk on the reports page: which county submitted the
//! period's report, the reports asked for this year and who is late
//! (T4-T6), the weekly returns missed per preparer (T5), who may read which
//! part (T15), and publication (T16). And a county head's form that charges
//! someone with the weekly return.

use chrono::NaiveDate;
use db::reports::schedule::{Due, PeriodDue, PreparerFaults};
use db::reports::Standing;
use db::scope::Role;
use leptos::prelude::*;
use policy::reports::figures::Section;
use policy::reports::schedule::Timeliness;
use policy::reports::{Frequency, Period};

use super::due_text;
use super::figures::section_name;
use crate::error::AppError;
use crate::i18n::{t, Msg, ReportMsg};

pub(super) struct LeagueView {
    standing: Vec<Standing>,
    schedule: Vec<Due>,
    due: Vec<PeriodDue>,
    month: Period,
    weekly: Vec<PreparerFaults>,
    /// The league's administrators set who reads what.
    access: Option<Vec<(Section, Vec<Role>)>>,
    pending: Vec<(db::publications::Publication, Vec<String>)>,
    years: Vec<i32>,
}

/// The month whose weekly returns are counted: the period's own when it is
/// a month, else the month its last day falls in.
fn month_of(period: Period) -> Period {
    Period::containing(Frequency::Monthly, period.last_day())
}

pub(super) async fn league_view(
    st: &crate::ssr::AppState,
    actor: &db::Actor,
    period: Period,
    today: NaiveDate,
) -> Result<LeagueView, AppError> {
    let month = month_of(period);
    let mut pending = Vec::new();
    for p in db::publications::pending(&st.db, actor).await? {
        let names = crate::pages::publications::county_names(&p.table.columns).await?;
        pending.push((p, names));
    }
    Ok(LeagueView {
        standing: db::reports::standing(&st.db, actor, period).await?,
        schedule: db::reports::schedule::of_year(&st.db, period.year).await?,
        due: db::reports::schedule::standing(&st.db, actor, period.year, today).await?,
        weekly: db::reports::schedule::weekly_faults(&st.db, actor, month, today).await?,
        month,
        access: match actor.role {
            Role::AgencyAdmin => Some(db::reports::access::table(&st.db).await?),
            _ => None,
        },
        pending,
        years: st.rules().years.keys().rev().copied().collect(),
    })
}

pub(super) fn frequency_name(f: Frequency) -> ReportMsg {
    match f {
        Frequency::Weekly => ReportMsg::FreqWeekly,
        Frequency::Monthly => ReportMsg::FreqMonthly,
        Frequency::Quarterly => ReportMsg::FreqQuarterly,
        Frequency::HalfYearly => ReportMsg::FreqHalfYearly,
        Frequency::Yearly => ReportMsg::FreqYearly,
    }
}

fn timeliness(t_: Timeliness) -> (ReportMsg, &'static str, Option<i64>) {
    match t_ {
        Timeliness::NotDue => (ReportMsg::NotDue, "muted", None),
        Timeliness::OnTime => (ReportMsg::OnTime, "ok", None),
        Timeliness::Late { days } => (ReportMsg::Late, "warn", Some(days)),
        Timeliness::Missing { days } => (ReportMsg::Missing, "error", Some(days)),
    }
}

#[component]
pub(super) fn LeagueDesk(l: LeagueView, period: Period, head: bool) -> impl IntoView {
    let year = period.year;
    view! {
        <Counties standing=l.standing/>
        <Schedule year=year schedule=l.schedule head=head/>
        <DueList due=l.due/>
        <Weekly month=l.month faults=l.weekly/>
        {l.access.map(|a| view! { <Access table=a/> })}
        <Publish pending=l.pending years=l.years head=head/>
    }
}

#[component]
fn Counties(standing: Vec<Standing>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="counties-h">
            <h2 id="counties-h">{t(ReportMsg::Counties)}</h2>
            <table class="list" data-testid="report-counties">
                <thead><tr><th>{t(ReportMsg::County)}</th><th>{t(ReportMsg::Status)}</th></tr></thead>
                <tbody>
                    {standing.into_iter().map(|s| {
                        let status = match (&s.newest, &s.submitted) {
                            (None, _) => t(ReportMsg::NoReport).to_string(),
                            (Some(n), Some(r)) if n.id == r.id => format!("{} · {} {} · {}", t(ReportMsg::Submitted), t(ReportMsg::Version), r.version, r.submitted_at.map(db::local_minute).unwrap_or_default()),
                            (Some(n), _) => format!("{} · {} {}", t(ReportMsg::Drafted), t(ReportMsg::Version), n.version),
                        };
                        let class = if s.submitted.is_some() { "ok" } else { "error" };
                        view! { <tr data-county=s.county_code><td>{s.name}</td><td class=class>{status}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The name of a frequency's schedule form, so a refused one comes back with what was typed.
fn schedule_form(f: Frequency) -> &'static str {
    match f {
        Frequency::Weekly => "schedule-weekly",
        Frequency::Monthly => "schedule-monthly",
        Frequency::Quarterly => "schedule-quarterly",
        Frequency::HalfYearly => "schedule-half_yearly",
        Frequency::Yearly => "schedule-yearly",
    }
}

/// T4-T6: which reports are asked for this year, and their due days.
#[component]
fn Schedule(year: i32, schedule: Vec<Due>, head: bool) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="schedule-h">
            <h2 id="schedule-h">{t(ReportMsg::ScheduleTitle)} " · " {year}</h2>
            <p class="muted">{t(ReportMsg::ScheduleHelp)}</p>
            <table class="list" data-testid="schedule">
                <thead><tr><th>{t(ReportMsg::Frequency)}</th><th>{t(ReportMsg::DueDays)}</th></tr></thead>
                <tbody>
                    {Frequency::ALL.iter().map(|f| {
                        let days = schedule.iter().find(|d| d.frequency == *f).map(|d| d.due_days);
                        let id = format!("due-{}", f.code());
                        view! {
                            <tr data-frequency=f.code()>
                                <td><label for=id.clone()>{t(frequency_name(*f))}</label></td>
                                <td>{if head {
                                    view! {
                                        <form method="post" action="/reports/schedule" class="inline">
                                            {crate::kept::form_name(schedule_form(*f))}
                                            <input type="hidden" name="year" value=year.to_string()/>
                                            <input type="hidden" name="frequency" value=f.code()/>
                                            <input id=id name="due_days" inputmode="numeric" size="3" maxlength="2"
                                                value=crate::kept::kept(schedule_form(*f), "due_days", &days.map(|d| d.to_string()).unwrap_or_default())/>
                                            <button type="submit" class="secondary">{t(ReportMsg::SaveSchedule)}</button>
                                        </form>
                                    }.into_any()
                                } else {
                                    days.map_or_else(|| t(ReportMsg::NotAsked).to_string(), |d| d.to_string()).into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// T5: each report due this year, and where each county stands on it.
#[component]
fn DueList(due: Vec<PeriodDue>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="due-h">
            <h2 id="due-h">{t(ReportMsg::DueTitle)}</h2>
            {due.is_empty().then(|| view! { <p>{t(ReportMsg::NoSchedule)}</p> })}
            {(!due.is_empty()).then(|| view! {
                <table class="list" data-testid="due">
                    <thead><tr>
                        <th>{t(ReportMsg::Period)}</th><th>{t(ReportMsg::DueOn)}</th><th>{t(ReportMsg::County)}</th>
                        <th>{t(ReportMsg::Status)}</th><th class="num">{t(ReportMsg::DaysLate)}</th>
                    </tr></thead>
                    <tbody>
                        {due.into_iter().flat_map(|p| {
                            let label = p.period.to_string();
                            let day = due_text(p.due);
                            p.counties.into_iter().map(move |c| {
                                let (msg, class, days) = timeliness(c.timeliness);
                                view! {
                                    <tr data-period=label.clone() data-county=c.county_code data-state=c.timeliness.code()>
                                        <td><a href=format!("/reports?period={label}")>{label.clone()}</a></td>
                                        <td>{day.clone()}</td><td>{c.name}</td>
                                        <td class=class>{t(msg)}</td><td class="num">{days.map(|d| d.to_string()).unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect::<Vec<_>>()
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// T5: the weekly returns of a month missed, late or corrected, per preparer.
#[component]
fn Weekly(month: Period, faults: Vec<PreparerFaults>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="weekly-h">
            <h2 id="weekly-h">{t(ReportMsg::WeeklyTitle)} " · " {month.to_string()}</h2>
            <p class="muted">{t(ReportMsg::WeeklyHelp)}</p>
            {faults.is_empty().then(|| view! { <p>{t(ReportMsg::NoFaults)}</p> })}
            {(!faults.is_empty()).then(|| view! {
                <table class="list" data-testid="weekly-faults">
                    <thead><tr>
                        <th>{t(ReportMsg::County)}</th><th>{t(ReportMsg::Person)}</th><th class="num">{t(ReportMsg::MissingCount)}</th>
                        <th class="num">{t(ReportMsg::LateCount)}</th><th class="num">{t(ReportMsg::CorrectedCount)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {faults.into_iter().map(|f| {
                            let flagged = f.total() >= 2;
                            view! {
                                <tr data-county=f.county_code.clone() class:warn=flagged>
                                    <td>{f.county_code.clone()}</td>
                                    <td>{f.name.clone().unwrap_or_else(|| t(ReportMsg::Unassigned).to_string())}</td>
                                    <td class="num">{f.missing}</td><td class="num">{f.late}</td><td class="num">{f.corrected}</td>
                                    <td>{flagged.then(|| t(ReportMsg::Flagged))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// T15: the league's administrators tick who may read which section.
#[component]
fn Access(table: Vec<(Section, Vec<Role>)>) -> impl IntoView {
    let roles = [
        (Role::AgencyReviewer, ReportMsg::RoleReviewer),
        (Role::AgencyAdmin, ReportMsg::RoleAdmin),
    ];
    view! {
        <section class="card" aria-labelledby="access-h">
            <h2 id="access-h">{t(ReportMsg::AccessTitle)}</h2>
            <p class="muted">{t(ReportMsg::AccessHelp)}</p>
            <form method="post" action="/reports/access">
                <table class="list" data-testid="access">
                    <thead><tr><th>{t(ReportMsg::Section)}</th>
                        {roles.iter().map(|(_, m)| view! { <th>{t(*m)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table.into_iter().map(|(section, allowed)| view! {
                            <tr data-section=section.code()>
                                <td>{t(section_name(section))}</td>
                                {roles.iter().map(|(role, m)| {
                                    let name = format!("{}:{}", section.code(), role.code());
                                    view! {
                                        <td><input type="checkbox" name=name.clone() value="1" checked=allowed.contains(role)
                                            aria-label=format!("{} · {}", t(section_name(section)), t(*m))/></td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="submit">{t(ReportMsg::SaveAccess)}</button>
            </form>
        </section>
    }
}

/// T5: a county's head charges one of its staff with the weekly return.
#[component]
pub(super) fn ChargeWeekly(charged: Option<i64>, staff: Vec<(i64, String)>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="charge-h">
            <h2 id="charge-h">{t(ReportMsg::ChargeTitle)}</h2>
            <p class="muted">{t(ReportMsg::ChargeHelp)}</p>
            <form method="post" action="/reports/weekly-preparer" class="inline">
                <label for="weekly-preparer">{t(ReportMsg::Person)}</label>
                <select id="weekly-preparer" name="user_id">
                    {charged.is_none().then(|| view! { <option value="">{t(ReportMsg::Unassigned)}</option> })}
                    {staff.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=charged == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{t(ReportMsg::Charge)}</button>
            </form>
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
