//! The home page: for a visitor, what the portal offers; after log-in, the
//! role's own work list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::{role_label, use_current_user, ErrorNote};
use crate::error::AppError;
use crate::i18n::{code_text, t, use_lang, with_n, Msg};

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
    /// Year, tier code, personal share, status code: the resident's own view.
    pub enrolments: Vec<(i32, String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HomeView {
    Visitor,
    Resident {
        household: Option<HouseholdLine>,
    },
    Office {
        households: Vec<HouseholdLine>,
    },
    School {
        pupils: Vec<PersonLine>,
    },
    Reviewer {
        pending: i64,
    },
    Admin {
        accounts: i64,
        audit_entries: i64,
        audit_broken_at: Option<i64>,
    },
}

#[server(endpoint = "home")]
pub async fn home_data() -> Result<HomeView, AppError> {
    use db::households::{list, list_persons, masked_id, members};
    use db::scope::Role;
    let Some(actor) = crate::ssr::current_actor().await? else {
        return Ok(HomeView::Visitor);
    };
    let st = crate::ssr::state()?;
    let line = |p: db::households::Person| PersonLine {
        name: p.name,
        id_masked: masked_id(&p.id_number),
        enrolments: vec![],
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
                    let members = people
                        .into_iter()
                        .map(|p| {
                            let mine = enrolments
                                .iter()
                                .filter(|e| e.person_id == p.id)
                                .map(|e| {
                                    (
                                        e.policy_year,
                                        e.tier.code().to_string(),
                                        policy::Money::from_fen(e.personal_fen).to_string(),
                                        e.status.code().to_string(),
                                    )
                                })
                                .collect();
                            PersonLine {
                                enrolments: mine,
                                ..line(p)
                            }
                        })
                        .collect();
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
            for hh in list(&st.db, &actor, 50).await? {
                let people = members(&st.db, &actor, hh.id).await?;
                households.push(HouseholdLine {
                    id: hh.id,
                    number: hh.number,
                    address: hh.address,
                    members: people.into_iter().map(line).collect(),
                });
            }
            HomeView::Office { households }
        }
        Role::SchoolAgent => HomeView::School {
            pupils: list_persons(&st.db, &actor, 200)
                .await?
                .into_iter()
                .map(line)
                .collect(),
        },
        // Enrolments submitted by offices and schools, waiting for a second person.
        Role::AgencyReviewer => HomeView::Reviewer {
            pending: db::enrolment::pending_review(&st.db, &actor).await?.len() as i64,
        },
        Role::AgencyAdmin => {
            let accounts = db::accounts::list(&st.db, &actor).await?.len() as i64;
            let v = db::audit::verify(&st.db).await?;
            HomeView::Admin {
                accounts,
                audit_entries: v.entries,
                audit_broken_at: v.first_broken,
            }
        }
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| home_data());
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
        HomeView::Resident { household } => view! {
            <section class="card" aria-labelledby="my-household">
                <h2 id="my-household">{t(Msg::MyHousehold)}</h2>
                {match household {
                    Some(h) => view! { <HouseholdCard household=h/> }.into_any(),
                    None => view! { <p>{t(Msg::NoRecords)}</p> }.into_any(),
                }}
            </section>
        }
        .into_any(),
        HomeView::Office { households } => view! {
            <section class="card" aria-labelledby="worklist">
                <p><a class="button" href="/enrol">{t(Msg::EnrolTitle)}</a></p>
                <h2 id="worklist">{t(Msg::OfficeHouseholds)}</h2>
                {if households.is_empty() {
                    view! { <p>{t(Msg::NoRecords)}</p> }.into_any()
                } else {
                    households.into_iter().map(|h| view! { <HouseholdCard household=h/> }).collect_view().into_any()
                }}
            </section>
        }
        .into_any(),
        HomeView::School { pupils } => view! {
            <section class="card" aria-labelledby="worklist">
                <p class="buttons"><a class="button" href="/school/roster">{t(Msg::RosterTitle)}</a> <a class="button secondary" href="/enrol">{t(Msg::EnrolTitle)}</a></p>
                <h2 id="worklist">{t(Msg::SchoolPupils)}</h2>
                <PersonTable people=pupils/>
            </section>
        }
        .into_any(),
        HomeView::Reviewer { pending } => view! {
            <section class="card" aria-labelledby="worklist">
                <h2 id="worklist">{t(Msg::ReviewQueue)}</h2>
                <p><a class="button" href="/review">{t(Msg::ReviewQueue)}</a></p>
                <p>{if pending == 0 { t(Msg::ReviewQueueEmpty).to_string() } else { with_n(t(Msg::ReviewQueueCount), pending) }}</p>
            </section>
        }
        .into_any(),
        HomeView::Admin { accounts, audit_entries, audit_broken_at } => view! {
            <section class="card" aria-labelledby="worklist">
                <h2 id="worklist">{t(Msg::WorkList)}</h2>
                <ul class="links">
                    <li><a href="/admin/accounts">{t(Msg::Accounts)} " (" {accounts} ")"</a></li>
                    <li><a href="/admin/audit">{t(Msg::AuditTrail)}</a></li>
                    <li><a href="/admin/policy">{t(Msg::PolicyParams)}</a></li>
                </ul>
                {match audit_broken_at {
                    None => view! { <p class="ok">{with_n(t(Msg::AuditChainOk), audit_entries)}</p> }.into_any(),
                    Some(n) => view! { <p class="error" role="alert">{with_n(t(Msg::AuditChainBroken), n)}</p> }.into_any(),
                }}
            </section>
        }
        .into_any(),
    }
}

#[component]
fn HouseholdCard(household: HouseholdLine) -> impl IntoView {
    view! {
        <div class="household">
            <dl class="facts">
                <dt>{t(Msg::HouseholdNumber)}</dt><dd>{household.number}</dd>
                <dt>{t(Msg::Address)}</dt><dd>{household.address}</dd>
            </dl>
            <h3>{t(Msg::Members)}</h3>
            <PersonTable people=household.members/>
        </div>
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
                    let cover = p.enrolments.iter().map(|(year, tier, personal, status)| {
                        format!("{year} {} {personal}{} · {}", code_text(tier), t(Msg::Yuan), status_label(status))
                    }).collect::<Vec<_>>().join("; ");
                    view! { <tr><td>{p.name}</td><td class="mono">{p.id_masked}</td><td>{cover}</td></tr> }
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
