//! Enrolment as offices, schools and the agency do it: an agent registers a
//! person for a policy year on the policy engine's terms, accepts the
//! evidence an assisted tier needs, and submits; a reviewer at the agency
//! (never the one who entered it) approves or sends it back with a reason.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::{ErrorNote, PersonFactChecks};
use crate::error::AppError;
use crate::i18n::{code_text, t, Msg};
use crate::pages::check::ExplainedStep;
use crate::pages::home::Pager;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentLine {
    pub id: i64,
    pub person_name: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub category: String,
    pub tier: String,
    pub personal: String,
    pub status: String,
    pub evidence_required: Vec<String>,
    pub evidence_accepted: Vec<String>,
    pub rejection_reason: Option<String>,
    pub steps: Vec<ExplainedStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskView {
    /// The households found by the search (or the newest), at most a page.
    pub households: Vec<(i64, String)>,
    /// Whether the actor picks a household (an office) at all.
    pub picks_household: bool,
    pub query: String,
    pub years: Vec<i32>,
    pub enrolments: Vec<EnrolmentLine>,
    /// The page of the enrolments (from 1), and whether another follows.
    pub page: i64,
    pub more: bool,
}

/// Enrolments on the desk, a page at a time.
#[cfg(feature = "ssr")]
const DESK_PAGE: i64 = 10;

#[cfg(feature = "ssr")]
async fn line(
    st: &crate::ssr::AppState,
    actor: &db::Actor,
    e: db::enrolment::Enrolment,
) -> Result<EnrolmentLine, AppError> {
    let accepted = db::enrolment::evidence(&st.db, actor, e.id)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect();
    let steps = serde_json::from_value::<policy::Explanation>(e.explanation.clone())
        .map(|ex| {
            ex.steps()
                .iter()
                .map(|s| ExplainedStep {
                    article: s.article.clone(),
                    zh: s.zh.clone(),
                    en: s.en.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(EnrolmentLine {
        id: e.id,
        person_name: e.person_name,
        id_masked: db::households::masked_id(&e.id_number),
        policy_year: e.policy_year,
        category: e.category.code().into(),
        tier: e.tier.code().into(),
        personal: policy::Money::from_fen(e.personal_fen).to_string(),
        status: e.status.code().into(),
        evidence_required: e
            .evidence_required
            .iter()
            .map(|c| c.code().to_string())
            .collect(),
        evidence_accepted: accepted,
        rejection_reason: e.rejection_reason,
        steps,
    })
}

#[server(endpoint = "enrol/desk")]
pub async fn enrol_desk(q: Option<String>, page: Option<i64>) -> Result<DeskView, AppError> {
    let actor = crate::ssr::actor().await?;
    if !matches!(
        actor.role,
        db::scope::Role::OfficeAgent | db::scope::Role::SchoolAgent
    ) {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    let query = q.unwrap_or_default();
    let picks_household = actor.role == db::scope::Role::OfficeAgent;
    // Found by the search box (number, address, a member's name), never
    // every household of the office in one drop-down.
    let households = if picks_household {
        let (found, _) =
            db::household_open::list_page(&st.db, &actor, &query, 1, db::household_open::PER_PAGE)
                .await?;
        let mut out = Vec::with_capacity(found.len());
        for h in found {
            let head = db::households::members(&st.db, &actor, h.id)
                .await?
                .into_iter()
                .next()
                .map(|p| p.name)
                .unwrap_or_default();
            out.push((h.id, format!("{} {} {}", h.number, head, h.address)));
        }
        out
    } else {
        vec![]
    };
    let page = page.unwrap_or(1).max(1);
    let filter = db::enrolment::Filter {
        limit: Some(DESK_PAGE + 1),
        offset: Some((page - 1) * DESK_PAGE),
        ..Default::default()
    };
    let mut listed = db::enrolment::list_for_actor(&st.db, &actor, &filter).await?;
    let more = listed.len() as i64 > DESK_PAGE;
    listed.truncate(DESK_PAGE as usize);
    let mut enrolments = Vec::new();
    for e in listed {
        enrolments.push(line(&st, &actor, e).await?);
    }
    Ok(DeskView {
        households,
        picks_household,
        query,
        years: st.rules().years.keys().rev().copied().collect(),
        enrolments,
        page,
        more,
    })
}

/// Registers a person (added to the household or roster first if new) for a policy year.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "enrol/register")]
pub async fn enrol_person(
    household_id: Option<i64>,
    id_number: String,
    name: String,
    policy_year: i32,
    in_school: Option<String>,
    employee_insured: Option<String>,
    flexible_employment: Option<String>,
    ncms_enrolled: Option<String>,
    migrant_worker_child: Option<String>,
    dibao: Option<String>,
    disability_grade: Option<String>,
    low_income_household: Option<String>,
) -> Result<i64, AppError> {
    use db::audit::By;
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let id = policy::idcard::check(&id_number).map_err(|e| AppError::from(db::Error::from(e)))?;
    let on = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    let facts = serde_json::json!({
        "id_number": id.number, "birth_date": id.birth_date, "sex": id.sex,
        "in_school": on(&in_school) || actor.role == db::scope::Role::SchoolAgent,
        "employee_insured": on(&employee_insured), "flexible_employment": on(&flexible_employment),
        "ncms_enrolled": on(&ncms_enrolled), "migrant_worker_child": on(&migrant_worker_child), "dibao": on(&dibao),
        "disability_grade": disability_grade.as_deref().and_then(|g| g.parse::<u8>().ok()),
        "low_income_household": on(&low_income_household), "hukou_moved_in_year": null,
    });
    let person_id = match db::households::find_person(&st.db, &actor, &id.number).await? {
        Some(p) => p.id,
        None => {
            let school = (actor.role == db::scope::Role::SchoolAgent)
                .then(|| actor.org_code.clone())
                .flatten();
            db::households::add_person(
                &st.db,
                By::User(&actor),
                &id.number,
                &name,
                household_id,
                school.as_deref(),
                &facts,
            )
            .await?
        }
    };
    Ok(db::enrolment::register(&st.db, &st.rules(), &actor, person_id, policy_year).await?)
}

#[server(endpoint = "enrol/evidence")]
pub async fn accept_evidence(enrolment_id: i64, code: String) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    db::enrolment::accept_evidence(&st.db, &actor, enrolment_id, &code, None).await?;
    Ok(())
}

#[server(endpoint = "enrol/submit")]
pub async fn submit_enrolment(enrolment_id: i64) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    db::enrolment::submit(&st.db, &actor, enrolment_id).await?;
    Ok(())
}

#[server(endpoint = "review/queue")]
pub async fn review_queue() -> Result<Vec<EnrolmentLine>, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let mut out = Vec::new();
    for e in db::enrolment::pending_review(&st.db, &actor).await? {
        out.push(line(&st, &actor, e).await?);
    }
    Ok(out)
}

#[server(endpoint = "review/decide")]
pub async fn decide_enrolment(
    enrolment_id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    match decision.as_str() {
        "approve" => {
            db::enrolment::approve(&st.db, &actor, enrolment_id).await?;
            // The payment notice is issued with the approval, so the desks
            // and homes that list notices only read them.
            db::notices::for_enrolment(&st.db, &st.rules(), &actor, enrolment_id).await?;
        }
        _ => {
            db::enrolment::reject(
                &st.db,
                &actor,
                enrolment_id,
                reason.as_deref().unwrap_or(""),
            )
            .await?
        }
    }
    Ok(())
}

#[component]
pub fn EnrolPage() -> impl IntoView {
    let register = ServerAction::<EnrolPerson>::new();
    let evidence = ServerAction::<AcceptEvidence>::new();
    let submit = ServerAction::<SubmitEnrolment>::new();
    let params = leptos_router::hooks::use_query_map();
    let desk = Resource::new(
        move || {
            (
                register.version().get(),
                evidence.version().get(),
                submit.version().get(),
                params.with(|q| {
                    (
                        q.get("q"),
                        q.get("page").and_then(|p| p.parse::<i64>().ok()),
                    )
                }),
            )
        },
        |(_, _, _, (q, page))| enrol_desk(q, page),
    );
    view! {
        <h1>{t(Msg::EnrolTitle)}</h1>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(d) => {
                        let has_households = !d.households.is_empty();
                        let picks = d.picks_household;
                        view! {
                        <section class="card" aria-labelledby="enrol-h">
                            <h2 id="enrol-h">{t(Msg::RegisterPerson)}</h2>
                            {picks.then(|| view! {
                                <form method="get" action="/enrol" class="find" role="search">
                                    <label for="enrol-q">{t(Msg::SearchHouseholds)}</label>
                                    <input id="enrol-q" name="q" type="search" value=d.query.clone() maxlength="40" autocomplete="off"/>
                                    <button type="submit" class="secondary">{t(Msg::SearchGo)}</button>
                                </form>
                            })}
                            {(picks && !has_households).then(|| view! { <p>{t(Msg::NoHouseholdFound)}</p> })}
                            <ActionForm action=register attr:class="stack">
                                {has_households.then(|| view! {
                                    <label for="household_id">{t(Msg::PickHousehold)}</label>
                                    <select id="household_id" name="household_id">
                                        {d.households.iter().map(|(id, label)| view! { <option value=id.to_string()>{label.clone()}</option> }).collect_view()}
                                    </select>
                                })}
                                <label for="e_id_number">{t(Msg::IdNumber)}</label>
                                <input id="e_id_number" name="id_number" required maxlength="30" autocomplete="off"/>
                                <label for="e_name">{t(Msg::Name)}</label>
                                <input id="e_name" name="name" required/>
                                <label for="e_year">{t(Msg::PolicyYear)}</label>
                                <select id="e_year" name="policy_year">
                                    {d.years.iter().map(|y| view! { <option value=y.to_string()>{*y}</option> }).collect_view()}
                                </select>
                                <PersonFactChecks with_in_school=false disability_id="e_disability"/>
                                <button type="submit">{t(Msg::Register)}</button>
                            </ActionForm>
                            {move || register.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
                        </section>
                        <section class="card" aria-labelledby="list-h">
                            <h2 id="list-h">{t(Msg::Enrolments)}</h2>
                            {move || evidence.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
                            {move || submit.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
                            {if d.enrolments.is_empty() { Some(view! { <p>{t(Msg::NoRecords)}</p> }) } else { None }}
                            {d.enrolments.into_iter().map(|e| view! { <EnrolmentCard e=e evidence=evidence submit=submit/> }).collect_view()}
                            <Pager path="/enrol" page=d.page query=d.query.clone() more=d.more/>
                        </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn EnrolmentCard(
    e: EnrolmentLine,
    evidence: ServerAction<AcceptEvidence>,
    submit: ServerAction<SubmitEnrolment>,
) -> impl IntoView {
    let editable = e.status == "draft" || e.status == "rejected";
    let missing: Vec<String> = e
        .evidence_required
        .iter()
        .filter(|c| !e.evidence_accepted.contains(c))
        .cloned()
        .collect();
    let id = e.id;
    view! {
        <article class="enrolment" aria-label=e.person_name.clone()>
            <h3>{e.person_name.clone()} " " <span class="mono">{e.id_masked.clone()}</span></h3>
            <dl class="facts">
                <dt>{t(Msg::PolicyYear)}</dt><dd>{e.policy_year}</dd>
                <dt>{t(Msg::Tier)}</dt><dd>{code_text(&e.category)} " · " {code_text(&e.tier)}</dd>
                <dt>{t(Msg::PersonalShare)}</dt><dd>{crate::i18n::yuan_text(&e.personal.clone())}</dd>
                <dt>{t(Msg::Status)}</dt><dd class="status">{status_text(&e.status)}</dd>
                {e.rejection_reason.clone().map(|r| view! { <dt>{t(Msg::RejectedBecause)}</dt><dd class="error">{r}</dd> })}
                {(!e.evidence_accepted.is_empty()).then(|| {
                    let list = e.evidence_accepted.iter().map(|c| code_text(c)).collect::<Vec<_>>().join(" · ");
                    view! { <dt>{t(Msg::EvidenceAccepted)}</dt><dd>{list}</dd> }
                })}
            </dl>
            {editable.then(|| view! {
                {missing.into_iter().map(|code| {
                    let label = format!("{} {}", t(Msg::AcceptEvidence), code_text(&code));
                    view! {
                        <ActionForm action=evidence>
                            <input type="hidden" name="enrolment_id" value=id.to_string()/>
                            <input type="hidden" name="code" value=code.clone()/>
                            <button type="submit" class="secondary">{label}</button>
                        </ActionForm>
                    }
                }).collect_view()}
                <ActionForm action=submit>
                    <input type="hidden" name="enrolment_id" value=id.to_string()/>
                    <button type="submit">{t(Msg::SubmitForReview)}</button>
                </ActionForm>
            })}
            <Why steps=e.steps/>
        </article>
    }
}

#[component]
fn Why(steps: Vec<ExplainedStep>) -> impl IntoView {
    view! {
        <details class="why">
            <summary>{t(Msg::WhyThisTier)}</summary>
            <ol class="steps">
                {steps.into_iter().map(|s| {
                    crate::components::explained_step(s.article, &s.zh, &s.en)
                }).collect_view()}
            </ol>
        </details>
    }
}

fn status_text(code: &str) -> &'static str {
    t(match code {
        "draft" => Msg::StatusDraft,
        "submitted" => Msg::StatusSubmitted,
        "approved" => Msg::StatusApproved,
        _ => Msg::StatusRejected,
    })
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let decide = ServerAction::<DecideEnrolment>::new();
    let queue = Resource::new(move || decide.version().get(), |_| review_queue());
    view! {
        <h1>{t(Msg::ReviewQueue)}</h1>
        {move || decide.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="card">{t(Msg::ReviewQueueEmpty)}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|e| {
                        let id = e.id;
                        let evidence = e.evidence_accepted.iter().map(|c| code_text(c)).collect::<Vec<_>>().join(" · ");
                        view! {
                            <article class="card enrolment" aria-label=e.person_name.clone()>
                                <h2>{e.person_name.clone()} " " <span class="mono">{e.id_masked.clone()}</span></h2>
                                <dl class="facts">
                                    <dt>{t(Msg::PolicyYear)}</dt><dd>{e.policy_year}</dd>
                                    <dt>{t(Msg::Tier)}</dt><dd>{code_text(&e.category)} " · " {code_text(&e.tier)}</dd>
                                    <dt>{t(Msg::PersonalShare)}</dt><dd>{crate::i18n::yuan_text(&e.personal.clone())}</dd>
                                    <dt>{t(Msg::EvidenceAccepted)}</dt><dd>{evidence}</dd>
                                </dl>
                                <Why steps=e.steps.clone()/>
                                <ActionForm action=decide>
                                    <input type="hidden" name="enrolment_id" value=id.to_string()/>
                                    <input type="hidden" name="decision" value="approve"/>
                                    <button type="submit">{t(Msg::Approve)}</button>
                                </ActionForm>
                                <ActionForm action=decide attr:class="stack">
                                    <input type="hidden" name="enrolment_id" value=id.to_string()/>
                                    <input type="hidden" name="decision" value="reject"/>
                                    <label for=format!("reason-{id}")>{t(Msg::RejectReason)}</label>
                                    <input id=format!("reason-{id}") name="reason"/>
                                    <button type="submit" class="secondary">{t(Msg::Reject)}</button>
                                </ActionForm>
                            </article>
                        }
                    }).collect_view().into_any(),
                }
            })}
        </Transition>
    }
}
