//! The home page: for a visitor, what the portal offers; after log-in, the
//! role's own work list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::{role_label, use_current_user, ErrorNote, FindPerson};
use crate::error::AppError;
use crate::i18n::{code_text, t, use_lang, with_n, yuan_text, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdLine {
    pub id: i64,
    pub number: String,
    pub address: String,
    pub members: Vec<PersonLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLine {
    pub name: String,
    pub id_masked: String,
    /// The resident's own view of each enrolment.
    pub enrolments: Vec<EnrolmentLine>,
    /// The resident's own view: where their contributions stand.
    pub contribution: Option<ContributionLine>,
}

/// One enrolment as the resident reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentLine {
    pub year: i32,
    pub tier: String,
    /// The personal share, in yuan.
    pub personal: String,
    pub status: String,
    pub why: Why,
}

/// Why this category, tier and amount, in plain words, and the articles the
/// engine applied, in small print after them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    pub summary: String,
    pub lines: Vec<String>,
    pub articles: String,
}

#[cfg(feature = "ssr")]
fn enrolment_line(e: &db::enrolment::Enrolment) -> EnrolmentLine {
    use crate::i18n::{t_args, WhyMsg};
    use policy::eligibility::{Category, Tier};
    let yuan = |fen: i64| policy::Money::from_fen(fen).to_string();
    let category = t(match e.category {
        Category::Student => WhyMsg::Student,
        Category::Child => WhyMsg::Child,
        Category::MigrantChild => WhyMsg::MigrantChild,
        Category::Elderly => WhyMsg::Elderly,
        Category::DisabledAdult => WhyMsg::DisabledAdult,
    });
    let tier = t(match e.tier {
        Tier::AdultStandard => WhyMsg::AdultStandard,
        Tier::AdultAssisted => WhyMsg::AdultAssisted,
        Tier::MinorStandard => WhyMsg::MinorStandard,
        Tier::MinorAssisted => WhyMsg::MinorAssisted,
    });
    let amount = t_args(
        WhyMsg::Amount,
        &[
            ("total", yuan(e.total_fen)),
            ("subsidy", yuan(e.subsidy.total())),
            ("personal", yuan(e.personal_fen)),
        ],
    );
    let mut articles: Vec<String> = Vec::new();
    if let Ok(x) = serde_json::from_value::<policy::Explanation>(e.explanation.clone()) {
        for step in x.steps() {
            if !articles.contains(&step.article) {
                articles.push(step.article.clone());
            }
        }
    }
    EnrolmentLine {
        year: e.policy_year,
        tier: e.tier.code().to_string(),
        personal: yuan(e.personal_fen),
        status: e.status.code().to_string(),
        why: Why {
            summary: t(WhyMsg::Summary).to_string(),
            lines: vec![category.to_string(), tier.to_string(), amount],
            articles: format!("{}{}", t(WhyMsg::Articles), articles.join(", ")),
        },
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionLine {
    /// The policy engine's status code on today's date.
    pub status: String,
    pub continuous_years: u32,
    /// When the cover of this year started (M28), if paid.
    pub covered_since: Option<String>,
    /// A year paid ahead (next year's premium paid in December) and the day
    /// its cover starts: today's status alone would read "not enrolled".
    pub paid_ahead: Option<(i32, String)>,
    /// The next year to pay and its due date, if still to come.
    pub next_due: Option<(i32, String)>,
    pub notices: Vec<MemberNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberNotice {
    pub number: String,
    pub policy_year: i32,
    pub amount: String,
    pub due_date: String,
    pub paid: bool,
    pub days_left: i64,
    /// From how many days before the due date the home warns (a parameter of the year).
    pub warn_days: i64,
}

/// An organisation late declaring: name, premiums, total in yuan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueLine {
    pub org_name: String,
    pub payments: i64,
    pub total: String,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HomeView {
    Visitor,
    Resident {
        household: Option<HouseholdLine>,
    },
    Office {
        households: Vec<HouseholdLine>,
        /// The list's page (from 1), its search, and whether a next page exists.
        page: i64,
        query: String,
        more: bool,
        undeclared: i64,
        overdue: i64,
        /// Card fees to list, and those past the 2 working days (E13).
        cards: (i64, i64),
        /// Residents' pre-registered members waiting: id, name, masked id, year.
        pre_registered: Vec<(i64, String, String, i32)>,
    },
    School {
        pupils: Vec<PersonLine>,
        undeclared: i64,
        overdue: i64,
        cards: (i64, i64),
    },
    Reviewer {
        pending: i64,
        /// Claims at the first and second review, approval requests, claims to pay.
        claims: (i64, i64, i64, i64),
        late: Vec<OverdueLine>,
        /// Card lists past the 7 working days of card making (E19).
        late_cards: i64,
    },
    Admin {
        accounts: i64,
        claims: (i64, i64, i64, i64),
        audit_entries: i64,
        audit_broken_at: Option<i64>,
        late: Vec<OverdueLine>,
        late_cards: i64,
        /// The 1 May sweeps: year, day, residents interrupted.
        sweeps: Vec<(i32, String, i64)>,
    },
}

#[cfg(feature = "ssr")]
async fn claims_work(actor: &db::Actor) -> Result<(i64, i64, i64, i64), AppError> {
    let st = crate::ssr::state()?;
    let w = db::claims::work(&st.db, actor).await?;
    Ok((w.first_review, w.second_review, w.approvals, w.to_pay))
}

/// The agency's claim work: what waits at each step, each a link to its desk.
#[component]
fn ClaimsWork(claims: (i64, i64, i64, i64)) -> impl IntoView {
    let (first, second, approvals, to_pay) = claims;
    view! {
        <section class="card" aria-labelledby="claims-work">
            <h2 id="claims-work">{t(Msg::ClaimReviewNav)}</h2>
            <ul class="links" data-testid="claims-work">
                <li><a href="/claims/review" rel="external">{with_n(t(Msg::ClaimsAtFirst), first)}</a></li>
                <li><a href="/claims/review" rel="external">{with_n(t(Msg::ClaimsAtSecond), second)}</a></li>
                <li><a href="/claims/review" rel="external">{with_n(t(Msg::ApprovalsWaiting), approvals)}</a></li>
                <li><a href="/runs" rel="external">{with_n(t(Msg::ClaimsToPay), to_pay)}</a></li>
            </ul>
        </section>
    }
}

#[server(endpoint = "home")]
pub async fn home_data(page: Option<i64>, q: Option<String>) -> Result<HomeView, AppError> {
    use db::households::{list_persons, masked_id, members};
    use db::scope::Role;
    let Some(actor) = crate::ssr::current_actor().await? else {
        return Ok(HomeView::Visitor);
    };
    let st = crate::ssr::state()?;
    let rules = st.rules();
    let today = db::local_date(db::now_ms());
    let line = |p: db::households::Person| PersonLine {
        name: p.name,
        id_masked: masked_id(&p.id_number),
        enrolments: vec![],
        contribution: None,
    };
    let declarations = |actor: db::Actor| {
        let st = st.clone();
        let rules = rules.clone();
        async move {
            let list = db::declarations::undeclared(&st.db, &rules, &actor, today).await?;
            let overdue = list.iter().filter(|u| u.overdue).count() as i64;
            Ok::<_, AppError>((list.len() as i64, overdue))
        }
    };
    let cards_due = |actor: db::Actor| {
        let st = st.clone();
        let rules = rules.clone();
        async move {
            let list = db::cards::pending(&st.db, &rules, &actor, today).await?;
            let late = list.iter().filter(|c| c.overdue).count() as i64;
            Ok::<_, AppError>((list.len() as i64, late))
        }
    };
    let late_cards = || {
        let st = st.clone();
        let rules = rules.clone();
        let actor = actor.clone();
        async move {
            let lists = db::cards::lists(&st.db, &rules, &actor, today).await?;
            Ok::<_, AppError>(lists.iter().filter(|l| l.overdue).count() as i64)
        }
    };
    let late = || {
        let st = st.clone();
        let rules = rules.clone();
        let actor = actor.clone();
        async move {
            Ok::<_, AppError>(
                db::declarations::overdue(&st.db, &rules, &actor, today)
                    .await?
                    .into_iter()
                    .map(|o| OverdueLine {
                        org_name: o.org_name,
                        payments: o.payments,
                        total: policy::Money::from_fen(o.total_fen).to_string(),
                        since: o.earliest_deadline.to_string(),
                    })
                    .collect::<Vec<_>>(),
            )
        }
    };
    Ok(match actor.role {
        Role::Resident => {
            let household = match actor.household_id {
                Some(h) => {
                    let hh = db::households::get(&st.db, &actor, h).await?;
                    let people = members(&st.db, &actor, h).await?;
                    let filter = db::enrolment::Filter {
                        limit: Some(100),
                        ..Default::default()
                    };
                    let enrolments = db::enrolment::list_for_actor(&st.db, &actor, &filter).await?;
                    let mut members = Vec::new();
                    for p in people {
                        let mine = enrolments
                            .iter()
                            .filter(|e| e.person_id == p.id)
                            .map(enrolment_line)
                            .collect();
                        let mut notices = Vec::new();
                        for e in enrolments.iter().filter(|e| {
                            e.person_id == p.id && e.status == db::enrolment::Status::Approved
                        }) {
                            let n =
                                db::notices::for_enrolment(&st.db, &rules, &actor, e.id).await?;
                            let due: chrono::NaiveDate = n.due_date.parse().unwrap_or(today);
                            notices.push(MemberNotice {
                                paid: n.status == db::notices::NoticeStatus::Paid,
                                number: n.number,
                                policy_year: n.policy_year,
                                amount: policy::Money::from_fen(n.amount_fen).to_string(),
                                due_date: n.due_date,
                                days_left: (due - today).num_days(),
                                warn_days: rules
                                    .year(n.policy_year)
                                    .map_or(0, |p| i64::from(p.deadlines.due_warning_days)),
                            });
                        }
                        let status = db::payments::outlook(&st.db, &rules, &actor, p.id, today)
                            .await
                            .ok();
                        let covered_since = db::payments::for_person(&st.db, &actor, p.id)
                            .await?
                            .iter()
                            .filter(|y| y.policy_year == chrono::Datelike::year(&today))
                            .find_map(|y| y.cover_from_ms())
                            .map(db::local_minute);
                        let contribution = status.map(|(s, o)| ContributionLine {
                            status: s.status.code().to_string(),
                            continuous_years: o.continuous_years.max(s.continuous_years),
                            covered_since,
                            paid_ahead: o
                                .paid_ahead
                                .zip(o.cover_from)
                                .map(|(p, from)| (p.year, from.to_string())),
                            next_due: o.next_due.map(|(y, d)| (y, d.to_string())),
                            notices,
                        });
                        members.push(PersonLine {
                            enrolments: mine,
                            contribution,
                            ..line(p)
                        });
                    }
                    Some(HouseholdLine {
                        id: hh.id,
                        number: hh.number,
                        address: hh.address,
                        members,
                    })
                }
                None => None,
            };
            HomeView::Resident { household }
        }
        Role::OfficeAgent => {
            let mut households = Vec::new();
            // A page at a time, newest first, narrowed by the search: the
            // page an agent opens all day stays small however many there are.
            let page = page.unwrap_or(1).max(1);
            let query = q.unwrap_or_default();
            let (listed, more) = db::household_open::list_page(
                &st.db,
                &actor,
                &query,
                page,
                db::household_open::PER_PAGE,
            )
            .await?;
            for hh in listed {
                let people = members(&st.db, &actor, hh.id).await?;
                households.push(HouseholdLine {
                    id: hh.id,
                    number: hh.number,
                    address: hh.address,
                    members: people.into_iter().map(line).collect(),
                });
            }
            let pre_registered = db::preregistration::pending(&st.db, &actor)
                .await?
                .into_iter()
                .map(|m| (m.id, m.name, masked_id(&m.id_number), m.policy_year))
                .collect();
            let (undeclared, overdue) = declarations(actor.clone()).await?;
            HomeView::Office {
                households,
                page,
                query,
                more,
                undeclared,
                overdue,
                cards: cards_due(actor.clone()).await?,
                pre_registered,
            }
        }
        Role::SchoolAgent => {
            let (undeclared, overdue) = declarations(actor.clone()).await?;
            HomeView::School {
                pupils: list_persons(&st.db, &actor, 200)
                    .await?
                    .into_iter()
                    .map(line)
                    .collect(),
                undeclared,
                overdue,
                cards: cards_due(actor.clone()).await?,
            }
        }
        // Enrolments submitted by offices and schools, waiting for a second person.
        Role::AgencyReviewer => HomeView::Reviewer {
            pending: db::enrolment::pending_review(&st.db, &actor).await?.len() as i64,
            claims: claims_work(&actor).await?,
            late: late().await?,
            late_cards: late_cards().await?,
        },
        Role::AgencyAdmin => {
            let accounts = db::accounts::list(&st.db, &actor).await?.len() as i64;
            let v = db::audit::verify(&st.db).await?;
            HomeView::Admin {
                claims: claims_work(&actor).await?,
                accounts,
                audit_entries: v.entries,
                audit_broken_at: v.first_broken,
                late: late().await?,
                late_cards: late_cards().await?,
                sweeps: db::sweep::summary(&st.db).await?,
            }
        }
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("page").and_then(|p| p.parse::<i64>().ok()),
                    q.get("q").filter(|s| !s.trim().is_empty()),
                )
            })
        },
        |(page, q)| home_data(page, q),
    );
    let user = use_current_user();
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let heading = match user.await {
                    Ok(Some(u)) => view! {
                        <h1>{t(Msg::Welcome)} ", " {u.display_name.clone()}</h1>
                        <p class="muted">{t(Msg::YourRole)} ": " {role_label(&u.role)}
                            {u.org_name_zh.clone().map(|zh| {
                                let name = use_lang().pick(&zh, u.org_name_en.as_deref().unwrap_or(&zh)).to_string();
                                view! { " · " {t(Msg::Organisation)} ": " {name} }
                            })}
                        </p>
                    }.into_any(),
                    _ => view! { <h1>{t(Msg::AppTitle)}</h1> }.into_any(),
                };
                let body = match data.await {
                    Ok(d) => view! { <HomeBody data=d/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {heading} {body} }
            })}
        </Suspense>
    }
}

#[component]
fn HomeBody(data: HomeView) -> impl IntoView {
    match data {
        HomeView::Visitor => view! {
            <section class="card">
                <p>{t(Msg::PublicIntro)}</p>
                <p class="actions">
                    <a class="button" href="/check">{t(Msg::CheckNav)}</a>
                    <a class="button secondary" href="/login">{t(Msg::Login)}</a>
                </p>
            </section>
        }
        .into_any(),
        HomeView::Resident { household } if crate::i18n::elder_mode() => view! { <ElderHome household/> }.into_any(),
        HomeView::Resident { household } => view! {
            <section class="card" aria-labelledby="my-household">
                <p class="actions"><a class="button" href="/register" rel="external">{t(Msg::PreRegNav)}</a>
                    <a class="button" href="/claims" rel="external">{t(Msg::ClaimsNav)}</a></p>
                <h2 id="my-household">{t(Msg::MyHousehold)}</h2>
                {match household {
                    Some(h) => view! { <HouseholdCard household=h/> }.into_any(),
                    None => view! {
                        <p>{t(Msg::NoRecords)}</p>
                        <p><a class="button" href="/register/new" rel="external">{t(Msg::NewHouseholdNav)}</a></p>
                    }.into_any(),
                }}
            </section>
        }
        .into_any(),
        HomeView::Office { households, page, query, more, pre_registered, undeclared, overdue, cards } => view! {
            <section class="card" aria-labelledby="prereg-waiting">
                <h2 id="prereg-waiting">{t(Msg::PreRegWaiting)}</h2>
                {if pre_registered.is_empty() {
                    view! { <p>{t(Msg::NoRecords)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="links">
                            {pre_registered.into_iter().map(|(id, name, masked, year)| view! {
                                <li><a href=format!("/prereg/{id}") rel="external">{t(Msg::OpenItem)} " " {name} " " <span class="mono">{masked}</span> " · " {year}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="worklist">
                <p class="actions">
                    <a class="button" href="/households/new" rel="external">{t(Msg::OpenHouseholdNav)}</a>
                    <a class="button" href="/enrol">{t(Msg::EnrolTitle)}</a>
                    <a class="button" href="/payments">{t(Msg::PaymentsDesk)}</a>
                    <a class="button secondary" href="/cards">{t(Msg::CardsTitle)}</a>
                    <a class="button secondary" href="/office/list" rel="external">{t(Msg::OfficeListNav)}</a>
                    <a class="button secondary" href="/applications" rel="external">{t(Msg::NewHouseholdsNav)}</a>
                </p>
                <FindPerson/>
                <DeclarationDue undeclared overdue/>
                <CardsDue cards/>
                <h2 id="worklist">{t(Msg::OfficeHouseholds)}</h2>
                <form method="get" action="/" class="find" role="search">
                    <label for="hh-q">{t(Msg::SearchHouseholds)}</label>
                    <input id="hh-q" name="q" type="search" value=query.clone() maxlength="40" autocomplete="off"
                        aria-describedby="hh-help"/>
                    <button type="submit">{t(Msg::SearchGo)}</button>
                    <p id="hh-help" class="muted">{t(Msg::SearchHouseholdsHelp)}</p>
                </form>
                {if households.is_empty() {
                    view! { <p>{t(Msg::NoHouseholdFound)}</p> }.into_any()
                } else {
                    households.into_iter().map(|h| view! { <HouseholdCard household=h/> }).collect_view().into_any()
                }}
                <Pager path="/" page query more/>
            </section>
        }
        .into_any(),
        HomeView::School { pupils, undeclared, overdue, cards } => view! {
            <section class="card" aria-labelledby="worklist">
                <p class="actions"><a class="button" href="/school/roster">{t(Msg::RosterTitle)}</a>
                    <a class="button secondary" href="/enrol">{t(Msg::EnrolTitle)}</a>
                    <a class="button" href="/payments">{t(Msg::PaymentsDesk)}</a>
                    <a class="button secondary" href="/cards">{t(Msg::CardsTitle)}</a></p>
                <FindPerson/>
                <DeclarationDue undeclared overdue/>
                <CardsDue cards/>
                <h2 id="worklist">{t(Msg::SchoolPupils)}</h2>
                <PersonTable people=pupils/>
            </section>
        }
        .into_any(),
        HomeView::Reviewer { pending, claims, late, late_cards } => view! {
            <LateDeclarations late/>
            <LateCards late_cards/>
            <ClaimsWork claims/>
            <section class="card" aria-labelledby="worklist">
                <h2 id="worklist">{t(Msg::ReviewQueue)}</h2>
                <p class="actions"><a class="button" href="/review">{t(Msg::ReviewQueue)}</a>
                    <a class="button" href="/claims/review" rel="external">{t(Msg::ClaimReviewNav)}</a>
                    <a class="button secondary" href="/runs" rel="external">{t(Msg::PaymentRunsNav)}</a>
                    <a class="button secondary" href="/stats" rel="external">{t(Msg::StatisticsNav)}</a>
                    <a class="button secondary" href="/reports" rel="external">{t(Msg::ReportsNav)}</a></p>
                <p>{if pending == 0 { t(Msg::ReviewQueueEmpty).to_string() } else { with_n(t(Msg::ReviewQueueCount), pending) }}</p>
                <FindPerson/>
                <p><a href="/duplicates" rel="external">{t(Msg::DuplicatesNav)}</a></p>
            </section>
        }
        .into_any(),
        HomeView::Admin { accounts, claims, audit_entries, audit_broken_at, late, late_cards, sweeps } => view! {
            <LateDeclarations late/>
            <LateCards late_cards/>
            <ClaimsWork claims/>
            <section class="card" aria-labelledby="worklist">
                <h2 id="worklist">{t(Msg::WorkList)}</h2>
                <FindPerson/>
                <ul class="links">
                    <li><a href="/admin/accounts">{t(Msg::Accounts)} " (" {accounts} ")"</a></li>
                    <li><a href="/admin/audit">{t(Msg::AuditTrail)}</a></li>
                    <li><a href="/admin/outbox" rel="external">{t(Msg::OutboxNav)}</a></li>
                    <li><a href="/admin/policy">{t(Msg::PolicyParams)}</a></li>
                    <li><a href="/claims/review" rel="external">{t(Msg::ClaimReviewNav)}</a></li>
                    <li><a href="/runs" rel="external">{t(Msg::PaymentRunsNav)}</a></li>
                    <li><a href="/refunds" rel="external">{t(Msg::RefundsNav)}</a></li>
                    <li><a href="/stats" rel="external">{t(Msg::StatisticsNav)}</a></li>
                    <li><a href="/reports" rel="external">{t(Msg::ReportsNav)}</a></li>
                    <li><a href="/duplicates" rel="external">{t(Msg::DuplicatesNav)}</a></li>
                </ul>
                {match audit_broken_at {
                    None => view! { <p class="ok">{with_n(t(Msg::AuditChainOk), audit_entries)}</p> }.into_any(),
                    Some(n) => view! { <p class="error" role="alert">{with_n(t(Msg::AuditChainBroken), n)}</p> }.into_any(),
                }}
                <h3>{t(Msg::Sweeps)}</h3>
                {if sweeps.is_empty() { Some(view! { <p>{t(Msg::NoRecords)}</p> }) } else { None }}
                <ul class="lines" data-testid="sweeps">
                    {sweeps.into_iter().map(|(year, day, n)| view! {
                        <li>{year} " · " {day} " · " {with_n(t(Msg::SweepInterrupted), n)}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
    }
}

/// Previous and next page links of a paged list, keeping its search.
#[component]
pub fn Pager(path: &'static str, page: i64, query: String, more: bool) -> impl IntoView {
    let link = move |p: i64| {
        let mut href = format!("{path}?page={p}");
        if !query.is_empty() {
            href.push_str("&q=");
            href.push_str(&encode(&query));
        }
        href
    };
    view! {
        <nav class="pager">
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t(Msg::PagePrev)}</a> })}
            " " <span>{with_n(t(Msg::PageN), page)}</span> " "
            {more.then(|| view! { <a href=link(page + 1) rel="next">{t(Msg::PageNext)}</a> })}
        </nav>
    }
}

/// A query value for a link: everything but unreserved ASCII percent-encoded.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[component]
fn HouseholdCard(household: HouseholdLine) -> impl IntoView {
    view! {
        <div class="household">
            <dl class="facts">
                <dt>{t(Msg::HouseholdNumber)}</dt><dd>{household.number}</dd>
                <dt>{t(Msg::Address)}</dt><dd>{household.address}</dd>
            </dl>
            <p><a href=format!("/household/{}/form", household.id) rel="external">{t(Msg::RegFormNav)}</a></p>
            <h3>{t(Msg::Members)}</h3>
            <MemberCards people=household.members/>
        </div>
    }
}

/// The members of a household, one card each: on a 360 px phone a name
/// stays on one line and an ID number on another, with the status, tier
/// and amount under them.
#[component]
fn MemberCards(people: Vec<PersonLine>) -> impl IntoView {
    if people.is_empty() {
        return view! { <p>{t(Msg::NoRecords)}</p> }.into_any();
    }
    view! {
        <ul class="members" data-testid="members">
            {people.into_iter().map(|p| view! {
                <li class="member">
                    <p class="member-name">{p.name}</p>
                    <p class="mono member-id">{p.id_masked}</p>
                    {p.contribution.map(|c| view! { <ContributionCell c=c/> })}
                    <ul class="enrolments">
                        {p.enrolments.into_iter().map(|e| view! {
                            <li>{e.year} " · " {code_text(&e.tier)} " · " <span class="money">{yuan_text(&e.personal)}</span> " · " {status_label(&e.status)}
                                <details class="why" data-testid="why">
                                    <summary>{e.why.summary}</summary>
                                    {e.why.lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                                    <p><small class="muted">{e.why.articles}</small></p>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// 长辈模式: the three things a resident does most, in large type: where
/// each member stands, paying what is due, filing a claim.
#[component]
fn ElderHome(household: Option<HouseholdLine>) -> impl IntoView {
    let members = household.map(|h| h.members).unwrap_or_default();
    let to_pay: Vec<MemberNotice> = members
        .iter()
        .filter_map(|m| m.contribution.as_ref())
        .flat_map(|c| c.notices.iter().filter(|n| !n.paid).cloned())
        .collect();
    view! {
        <section class="card elder-home" aria-labelledby="elder-status">
            <h2 id="elder-status">{t(Msg::ContributionStatus)}</h2>
            <ul class="members" data-testid="members">
                {members.into_iter().map(|p| view! {
                    <li class="member">
                        <p class="member-name">{p.name}</p>
                        {p.contribution.map(|mut c| { c.notices.clear(); view! { <ContributionCell c=c/> } })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card elder-home" aria-labelledby="elder-pay">
            <h2 id="elder-pay">{t(Msg::PayOnline)}</h2>
            {if to_pay.is_empty() {
                view! { <p class="ok">{t(Msg::NothingToPay)}</p> }.into_any()
            } else {
                to_pay.into_iter().map(|n| view! {
                    <p><a class="button" href=format!("/notice/{}", n.number)>{t(Msg::NoticeTitle)} " " {n.policy_year} " · " {yuan_text(&n.amount)}</a></p>
                }).collect_view().into_any()
            }}
        </section>
        <section class="card elder-home">
            <p><a class="button" href="/claims" rel="external">{t(Msg::ClaimsNav)}</a></p>
        </section>
    }
}

#[component]
fn PersonTable(people: Vec<PersonLine>) -> impl IntoView {
    if people.is_empty() {
        return view! { <p>{t(Msg::NoRecords)}</p> }.into_any();
    }
    view! {
        <table class="list">
            <thead><tr><th scope="col">{t(Msg::Name)}</th><th scope="col">{t(Msg::IdNumber)}</th><th scope="col">{t(Msg::Enrolment)}</th></tr></thead>
            <tbody>
                {people.into_iter().map(|p| {
                    let cover = p.enrolments.iter().map(|e| {
                        format!("{} {} {} · {}", e.year, code_text(&e.tier), yuan_text(&e.personal), status_label(&e.status))
                    }).collect::<Vec<_>>().join("; ");
                    let contribution = p.contribution.map(|c| view! { <ContributionCell c=c/> });
                    view! { <tr><td>{p.name}</td><td class="mono">{p.id_masked}</td><td>{cover}{contribution}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn status_label(code: &str) -> &'static str {
    t(match code {
        "draft" => Msg::StatusDraft,
        "submitted" => Msg::StatusSubmitted,
        "approved" => Msg::StatusApproved,
        _ => Msg::StatusRejected,
    })
}

/// The collector's declaration deadlines (E13): late ones in red.
#[component]
fn DeclarationDue(undeclared: i64, overdue: i64) -> impl IntoView {
    view! {
        {(overdue > 0).then(|| view! { <p class="error" role="alert" data-testid="overdue-declarations">{with_n(t(Msg::OverdueCount), overdue)}</p> })}
        {(undeclared > overdue).then(|| view! { <p>{with_n(t(Msg::UndeclaredCount), undeclared - overdue)}</p> })}
    }
}

/// For the agency: offices and schools past their declaration deadline, in red.
#[component]
fn LateDeclarations(late: Vec<OverdueLine>) -> impl IntoView {
    (!late.is_empty()).then(|| view! {
        <section class="card overdue" aria-labelledby="late-h">
            <h2 id="late-h" class="error">{t(Msg::OverdueDeclarations)}</h2>
            <ul class="lines">
                {late.into_iter().map(|l| view! {
                    <li class="error">{l.org_name} " · " {l.payments} " · " {yuan_text(&l.total)} " · " {t(Msg::DeclareBy)} " " {l.since}</li>
                }).collect_view()}
            </ul>
        </section>
    })
}

/// One member's contributions, on the resident's home: status from the
/// policy engine, cover start, and what is due by when.
#[component]
fn ContributionCell(c: ContributionLine) -> impl IntoView {
    let status = t(match c.status.as_str() {
        "active" => Msg::StActive,
        "grace" => Msg::StGrace,
        "interrupted" => Msg::StInterrupted,
        _ => Msg::StNotEnrolled,
    });
    let class = match c.status.as_str() {
        "active" => "ok",
        "interrupted" => "error",
        _ => "",
    };
    let ahead = c.paid_ahead.clone();
    let active = c.status == "active";
    let (status, class) = match &ahead {
        // Next year is paid: that is what the resident needs to read, not
        // "not enrolled" for the few days left of this one.
        Some((year, _)) if !active => (with_n(t(Msg::PaidForYear), year), "ok"),
        _ => (status.to_string(), class),
    };
    view! {
        <div class="contribution">
            <p class=class data-testid="contribution-status">{status} " · " {t(Msg::ContinuousYears)} " " {c.continuous_years}</p>
            {c.covered_since.map(|s| view! { <p class="ok" data-testid="covered-since">{with_n(t(Msg::CoveredSince), s)}</p> })}
            {ahead.map(|(year, from)| view! {
                {active.then(|| view! { <p class="ok" data-testid="paid-ahead">{with_n(t(Msg::PaidForYear), year)}</p> })}
                <p class="ok" data-testid="cover-from">{with_n(t(Msg::CoveredSince), from)}</p>
            })}
            {c.next_due.map(|(year, due)| view! { <p data-testid="next-due">{with_n(t(Msg::NextDue), year)} " " {with_n(t(Msg::DueWarning), due)}</p> })}
            {c.notices.into_iter().map(|n| {
                let warn = !n.paid && (0..=n.warn_days).contains(&n.days_left);
                let late = !n.paid && n.days_left < 0;
                view! {
                    <p class=if warn || late { "warn" } else { "" }>
                        <a href=format!("/notice/{}", n.number)>{t(Msg::NoticeTitle)} " " {n.policy_year}</a>
                        " · " <span class="money">{yuan_text(&n.amount)}</span> " · "
                        {if n.paid { t(Msg::Paid).to_string() } else { with_n(t(Msg::DueWarning), &n.due_date) }}
                        {warn.then(|| view! { " · " <strong data-testid="due-warning">{with_n(t(Msg::DaysLeft), n.days_left)}</strong> })}
                        {late.then(|| view! { " · " <strong>{t(Msg::PastDue)}</strong> })}
                    </p>
                }
            }).collect_view()}
        </div>
    }
}

/// Card fees to list (E13): late ones in red.
#[component]
fn CardsDue(cards: (i64, i64)) -> impl IntoView {
    let (due, late) = cards;
    view! {
        {(late > 0).then(|| view! { <p class="error" role="alert" data-testid="late-cards">{with_n(t(Msg::CardsLate), late)}</p> })}
        {(due > late).then(|| view! { <p>{with_n(t(Msg::CardsDue), due - late)}</p> })}
    }
}

/// For the agency: card lists past the card-making deadline (E19), in red, with the way to them.
#[component]
fn LateCards(late_cards: i64) -> impl IntoView {
    view! {
        <p class="actions"><a class="button secondary" href="/cards">{t(Msg::CardsTitle)}</a></p>
        {(late_cards > 0).then(|| view! { <p class="error" role="alert">{with_n(t(Msg::CardListsLate), late_cards)}</p> })}
    }
}
