//! Finding a person and answering "is this person covered?" (`/people`,
//! `/people/{id}`; offices, schools and the agency, each within its scope).
//! Server-rendered: the search is a form that gets, the enquiry a page whose
//! date is a form that gets, so both work before and without WebAssembly.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use policy::money::Money;

use crate::components::{loaded, FindPerson};
use crate::error::AppError;
use crate::i18n::{claim_code_text, t, t_args, Msg, PeopleMsg};
use crate::pages::check::{steps, ExplainedStep, Steps};

struct Found {
    query: String,
    people: Vec<db::people::Found>,
}

async fn found(query: String) -> Result<Found, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let people = db::people::search(&st.db, &actor, &query).await?;
    Ok(Found { query, people })
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let query = use_query_map().with(|q| q.get("q")).unwrap_or_default();
    view! {
        <h1>{t(PeopleMsg::Title)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {let query = query.clone();
            Suspend::new(async move {
                loaded(found(query).await, |f| view! {
                    <FindPerson value=f.query.clone()/>
                    {if f.query.trim().is_empty() {
                        ().into_any()
                    } else if f.people.is_empty() {
                        view! { <p role="status" id="found-none">{t(PeopleMsg::NoneFound)}</p> }.into_any()
                    } else {
                        view! {
                            <table class="list" id="found">
                                <thead><tr>
                                    <th>{t(Msg::Name)}</th><th>{t(Msg::IdNumber)}</th><th>{t(Msg::HouseholdNumber)}</th>
                                </tr></thead>
                                <tbody>
                                    {f.people.into_iter().map(|p| view! {
                                        <tr data-person=p.id>
                                            <td><a href=format!("/people/{}", p.id) rel="external">{p.name}</a></td>
                                            <td class="mono">{db::households::masked_id(&p.id_number)}</td>
                                            <td class="mono">{p.household_number.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                }.into_any())
            })}
        </Suspense>
    }
}

struct Enquiry {
    person: db::households::Person,
    household_number: Option<String>,
    on: chrono::NaiveDate,
    status: policy::contribution::Status,
    covered_since: Option<String>,
    payments: Vec<db::payments::Payment>,
    notices: Vec<db::notices::Notice>,
    enrolments: Vec<db::enrolment::Enrolment>,
    suspensions: Vec<db::claims::SuspensionRow>,
    /// The year of the date asked about; None when no policy year has rules for it.
    claims: Option<db::claims::ClaimsInYear>,
    steps: Vec<ExplainedStep>,
}

async fn enquiry(id: i64, on: Option<String>) -> Result<Enquiry, AppError> {
    let actor = crate::ssr::actor().await?;
    if actor.role == db::scope::Role::Resident {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    let rules = st.rules();
    // Any date the clerk picks, the past or the future: "was she covered on
    // the day of her operation", "will he be on 1 January".
    let on = match on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => d.parse().map_err(|_| AppError::bad_input("date"))?,
        None => db::claims::today(),
    };
    let person = db::households::get_person(&st.db, &actor, id).await?;
    let household_number = match person.household_id {
        Some(h) => Some(db::households::get(&st.db, &actor, h).await?.number),
        None => None,
    };
    let status = db::payments::status(&st.db, &rules, &actor, id, on).await?;
    let payments = db::payments::for_person(&st.db, &actor, id).await?;
    let covered_since = payments
        .iter()
        .filter(|p| p.policy_year == chrono::Datelike::year(&on))
        .find_map(|p| p.cover_from_ms())
        .map(db::local_minute);
    let notices = db::notices::for_person(&st.db, &actor, id).await?;
    let filter = db::enrolment::Filter {
        person_id: Some(id),
        ..Default::default()
    };
    let enrolments = db::enrolment::list_for_actor(&st.db, &actor, &filter).await?;
    let suspensions = db::claims::suspensions(&st.db, id).await?;
    let year = chrono::Datelike::year(&on);
    let claims = if rules.year(year).is_ok() {
        let c = status.continuous_years;
        Some(db::claims::claims_in_year(&st.db, &rules, &actor, id, year, c).await?)
    } else {
        None
    };
    Ok(Enquiry {
        claims,
        steps: steps(&status.explanation),
        person,
        household_number,
        on,
        status,
        covered_since,
        payments,
        notices,
        enrolments,
        suspensions,
    })
}

fn enrolment_status(s: db::enrolment::Status) -> &'static str {
    use db::enrolment::Status as S;
    t(match s {
        S::Draft => Msg::StatusDraft,
        S::Submitted => Msg::StatusSubmitted,
        S::Approved => Msg::StatusApproved,
        S::Rejected => Msg::StatusRejected,
    })
}

fn status_words(code: policy::contribution::StatusCode) -> (&'static str, &'static str) {
    use policy::contribution::StatusCode as S;
    match code {
        S::Active => (t(Msg::StActive), "ok"),
        S::Grace => (t(Msg::StGrace), ""),
        S::Interrupted => (t(Msg::StInterrupted), "error"),
        S::NotEnrolled => (t(Msg::StNotEnrolled), ""),
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let id = use_params_map()
        .with(|p| p.get("id"))
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let on = use_query_map().with(|q| q.get("on"));
    view! {
        <h1>{t(PeopleMsg::EnquiryTitle)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {let on = on.clone();
            Suspend::new(async move {
                loaded(enquiry(id, on).await, |e| {
                    let (words, class) = status_words(e.status.status);
                    view! {
                        <section class="card" aria-labelledby="who">
                            <h2 id="who">{e.person.name.clone()}</h2>
                            <dl class="facts">
                                <dt>{t(Msg::IdNumber)}</dt><dd class="mono">{db::households::masked_id(&e.person.id_number)}</dd>
                                <dt>{t(Msg::HouseholdNumber)}</dt><dd class="mono">{e.household_number.clone().unwrap_or_default()}</dd>
                            </dl>
                            <form method="get" action=format!("/people/{}", e.person.id) class="inline">
                                <label for="on">{t(PeopleMsg::OnDate)}</label>
                                <input id="on" name="on" type="date" value=e.on.to_string()/>
                                <button type="submit" class="secondary">{t(PeopleMsg::Show)}</button>
                            </form>
                            <p class=class data-testid="status-on" data-status=e.status.status.code()>
                                {t_args(PeopleMsg::StatusOn, &[("date", e.on.to_string())])} {words}
                                " · " {t(Msg::ContinuousYears)} " " {e.status.continuous_years}
                            </p>
                            {e.covered_since.clone().map(|s| view! { <p class="ok">{crate::i18n::with_n(t(Msg::CoveredSince), s)}</p> })}
                            <Steps steps=e.steps.clone()/>
                        </section>
                        <section class="card" aria-labelledby="payments-h">
                            <h2 id="payments-h">{t(PeopleMsg::Payments)}</h2>
                            {if e.payments.is_empty() {
                                view! { <p>{t(Msg::NoRecords)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="list" id="payments">
                                        <thead><tr><th>{t(Msg::PolicyYear)}</th><th class="num">{t(Msg::Amount)}</th><th>{t(Msg::PaidAt)}</th><th>{t(PeopleMsg::PaidBy)}</th><th>{t(Msg::ReceiptNumber)}</th></tr></thead>
                                        <tbody>
                                            {e.payments.iter().map(|p| view! {
                                                <tr>
                                                    <td>{p.policy_year} {p.back_payment.then(|| view! { " " <span class="muted">{t(Msg::BackPaymentMark)}</span> })}</td>
                                                    <td class="num">{crate::i18n::yuan_text(&Money::from_fen(p.amount_fen).to_string())}</td>
                                                    <td>{db::local_minute(p.paid_at)}</td>
                                                    <td data-testid="paid-by">{paid_by(p)}</td>
                                                    <td class="mono"><a href=format!("/receipt/{}", p.receipt_number) rel="external">{p.receipt_number.clone()}</a></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                        <section class="card" aria-labelledby="notices-h">
                            <h2 id="notices-h">{t(PeopleMsg::Notices)}</h2>
                            {if e.notices.is_empty() {
                                view! { <p>{t(Msg::NoRecords)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="lines" id="notices">
                                        {e.notices.iter().map(|n| {
                                            let paid = n.status == db::notices::NoticeStatus::Paid;
                                            view! {
                                                <li>
                                                    <a href=format!("/notice/{}", n.number)>{n.number.clone()}</a>
                                                    " · " {n.policy_year} " · " {crate::i18n::yuan_text(&Money::from_fen(n.amount_fen).to_string())}
                                                    " · " {t(Msg::DueDate)} " " {n.due_date.clone()} " · "
                                                    <span class=if paid { "ok" } else { "error" }>{if paid { t(Msg::Paid) } else { t(Msg::Unpaid) }}</span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section class="card" aria-labelledby="enrolments-h">
                            <h2 id="enrolments-h">{t(Msg::Enrolments)}</h2>
                            {if e.enrolments.is_empty() {
                                view! { <p>{t(Msg::NoRecords)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="list" id="enrolments">
                                        <thead><tr><th>{t(Msg::PolicyYear)}</th><th>{t(Msg::Tier)}</th><th class="num">{t(Msg::PersonalShare)}</th><th>{t(Msg::Status)}</th></tr></thead>
                                        <tbody>
                                            {e.enrolments.iter().map(|x| view! {
                                                <tr>
                                                    <td>{x.policy_year}</td>
                                                    <td>{crate::i18n::code_text(x.tier.code())}</td>
                                                    <td class="num">{crate::i18n::yuan_text(&Money::from_fen(x.personal_fen).to_string())}</td>
                                                    <td>{enrolment_status(x.status)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                        {e.claims.clone().map(|c| view! { <ClaimsOfYear c=c/> })}
                        {(!e.suspensions.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="suspensions-h">
                                <h2 id="suspensions-h" class="error">{t(PeopleMsg::Suspensions)}</h2>
                                <ul class="lines">
                                    {e.suspensions.iter().map(|s| view! {
                                        <li>{s.from_on.to_string()} " – " {s.until_on.map(|d| d.to_string()).unwrap_or_default()} " · " {s.claim_number.clone()}</li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

/// Who paid: the desk that took the cash, or the account that paid online
/// and what its holder is to the person (a daughter for her father).
fn paid_by(p: &db::payments::Payment) -> String {
    match (&p.paid_online_by, &p.payer_relation, &p.collected_by) {
        (Some(who), Some(relation), _) => t_args(
            PeopleMsg::PaidOnlineAs,
            &[
                ("who", who.clone()),
                ("relation", claim_code_text(&format!("relation_{relation}"))),
            ],
        ),
        (Some(_), None, _) | (None, _, None) => t(PeopleMsg::PaidOnline).to_string(),
        (None, _, Some(desk)) => t_args(PeopleMsg::PaidCash, &[("who", desk.clone())]),
    }
}

fn cap_name(kind: policy::benefit::CapKind) -> &'static str {
    use policy::benefit::CapKind as K;
    t(match kind {
        K::General => PeopleMsg::CapGeneral,
        K::SubLimit => PeopleMsg::CapSubLimit,
        K::StudentAccident => PeopleMsg::CapStudentAccident,
    })
}

fn yuan(m: Money) -> String {
    crate::i18n::yuan_text(&m.to_string())
}

/// This year's claims against each cap (B6, B8, B11): what the office is
/// asked after "am I covered": "how much can still be paid this year".
#[component]
fn ClaimsOfYear(c: db::claims::ClaimsInYear) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="claims-h">
            <h2 id="claims-h">{t_args(PeopleMsg::ClaimsOfYear, &[("year", c.year.to_string())])}</h2>
            <table class="list" id="caps">
                <thead><tr>
                    <th>{t(PeopleMsg::CapName)}</th><th class="num">{t(PeopleMsg::CapAmount)}</th>
                    <th class="num">{t(PeopleMsg::CapUsed)}</th><th class="num">{t(PeopleMsg::CapLeft)}</th>
                </tr></thead>
                <tbody>
                    {c.caps.iter().map(|cap| view! {
                        <tr data-cap=cap.kind.code()>
                            <td>{cap_name(cap.kind)} " " <small class="muted">{cap.article}</small></td>
                            <td class="num">{yuan(cap.cap)}</td>
                            <td class="num">{yuan(cap.used)}</td>
                            <td class="num">{yuan(cap.left)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">{t(PeopleMsg::ClaimsHelp)}</p>
            {if c.claims.is_empty() {
                view! { <p>{t(PeopleMsg::NoClaims)}</p> }.into_any()
            } else {
                view! {
                    <table class="list" id="year-claims">
                        <thead><tr>
                            <th>{t(PeopleMsg::ClaimNumber)}</th><th>{t(Msg::ClaimKind)}</th><th>{t(PeopleMsg::Care)}</th>
                            <th>{t(PeopleMsg::ClaimStatus)}</th><th class="num">{t(PeopleMsg::Payout)}</th><th>{t(PeopleMsg::FiledByAgent)}</th>
                        </tr></thead>
                        <tbody>
                            {c.claims.into_iter().map(|x| view! {
                                <tr>
                                    <td class="mono">{x.number}</td>
                                    <td>{crate::i18n::code_text(x.kind.code())}</td>
                                    <td>{x.care_from.to_string()} " – " {x.care_to.to_string()}</td>
                                    <td>{claim_code_text(x.status.code())}</td>
                                    <td class="num">{x.payout_fen.map(|f| yuan(Money::from_fen(f))).unwrap_or_default()}</td>
                                    <td>{claim_code_text(&format!("relation_{}", x.agent_relation))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
