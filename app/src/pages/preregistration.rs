//! Pre-registration: a resident enters their household's members on the
//! phone, with photos of their papers, and sees each member's quote, where to
//! register and what to bring (`/register`); the household's office opens an
//! entry, looks at the photos, corrects the facts if the papers say
//! otherwise, and completes it into an enrolment sent for review
//! (`/prereg/{id}`).
//!
//! Rendered on the server only, with plain HTML forms (server/src/documents.rs
//! takes the posts and redirects back with the answer in the URL): phones
//! upload camera photos whether or not any WebAssembly has loaded, and these
//! pages add nothing to the WebAssembly the other pages ship.

#[cfg(feature = "ssr")]
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::components::{loaded, ErrorNote, PersonFactChecks};
#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::{code_text, t, with_n, Msg, PaperMsg};
#[cfg(feature = "ssr")]
use crate::pages::check::QuoteResult;
use crate::pages::check::QuoteView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocView {
    pub sha256: String,
    pub code: String,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreMemberView {
    pub id: i64,
    pub name: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub status: String,
    /// `None` when the stored facts no longer quote (a year withdrawn).
    pub quote: Option<QuoteView>,
    /// Where the member registers: the household's office, or their school.
    pub register_at: String,
    pub to_bring: Vec<String>,
    pub documents: Vec<DocView>,
    /// The tick boxes of `PersonFactChecks` that are on, and the disability grade.
    pub ticked: Vec<String>,
    pub grade: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPreRegistration {
    pub household_id: i64,
    pub years: Vec<i32>,
    pub max_upload_mb: usize,
    pub members: Vec<PreMemberView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeDesk {
    pub household_number: String,
    pub address: String,
    pub member: PreMemberView,
}

/// The documents every registration records (E10), then those the tier needs.
#[cfg(feature = "ssr")]
const ALWAYS_BRING: [&str; 3] = ["id_card", "household_register", "photo"];

#[cfg(feature = "ssr")]
async fn member_view(
    st: &crate::ssr::AppState,
    office: &Option<db::orgs::OrgUnit>,
    m: db::preregistration::Member,
) -> PreMemberView {
    let quote = m
        .person_facts()
        .ok()
        .and_then(|f| crate::pages::check::quote_view(&st.rules(), m.policy_year, &f).ok());
    let lang = crate::i18n::initial_lang();
    let register_at = match quote.as_ref().and_then(|q| q.registrar.as_deref()) {
        Some("community_office") => office
            .as_ref()
            .map(|o| lang.pick(&o.name_zh, &o.name_en).to_string())
            .unwrap_or_else(|| code_text("community_office")),
        Some(other) => code_text(other),
        None => String::new(),
    };
    let mut to_bring: Vec<String> = ALWAYS_BRING.iter().map(|c| c.to_string()).collect();
    if let Some(q) = &quote {
        to_bring.extend(q.evidence.iter().cloned());
    }
    let c = m.circumstances();
    let ticked = [
        ("in_school", c.in_school),
        ("employee_insured", c.employee_insured),
        ("flexible_employment", c.flexible_employment),
        ("ncms_enrolled", c.ncms_enrolled),
        ("migrant_worker_child", c.migrant_worker_child),
        ("dibao", c.dibao),
        ("low_income_household", c.low_income_household),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(n, _)| n.to_string())
    .collect();
    PreMemberView {
        id: m.id,
        name: m.name,
        id_masked: db::households::masked_id(&m.id_number),
        policy_year: m.policy_year,
        status: m.status,
        quote,
        register_at,
        to_bring,
        documents: m
            .documents
            .into_iter()
            .map(|d| DocView {
                sha256: d.sha256,
                code: d.evidence_code.unwrap_or_default(),
                content_type: d.content_type,
            })
            .collect(),
        ticked,
        grade: c.disability_grade,
    }
}

#[cfg(feature = "ssr")]
async fn my_preregistration() -> Result<MyPreRegistration, AppError> {
    let actor = crate::ssr::actor().await?;
    let household_id = match (actor.role, actor.household_id) {
        (db::scope::Role::Resident, Some(h)) => h,
        _ => return Err(AppError::Forbidden),
    };
    let st = crate::ssr::state()?;
    let household = db::households::get(&st.db, &actor, household_id).await?;
    let office = db::orgs::get(&st.db, &household.office_code).await?;
    let mut members = Vec::new();
    for m in db::preregistration::of_household(&st.db, &actor, household_id).await? {
        members.push(member_view(&st, &office, m).await);
    }
    Ok(MyPreRegistration {
        household_id,
        years: st.rules().years.keys().rev().copied().collect(),
        max_upload_mb: st.max_upload_bytes / (1024 * 1024),
        members,
    })
}

#[cfg(feature = "ssr")]
async fn pre_registered_member(member_id: i64) -> Result<OfficeDesk, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let m = db::preregistration::member(&st.db, &actor, member_id).await?;
    let household = db::households::get(&st.db, &actor, m.household_id).await?;
    let office = db::orgs::get(&st.db, &household.office_code).await?;
    Ok(OfficeDesk {
        household_number: household.number,
        address: household.address,
        member: member_view(&st, &office, m).await,
    })
}

#[cfg(feature = "ssr")]
pub use server_rendered::{PreRegistrationPage, RegisterPage};

#[cfg(feature = "ssr")]
mod server_rendered {
    use super::*;
    use crate::i18n::ClaimMsg;
    use crate::kept::{chosen, invalid, kept, FieldError};

    fn pre_status(code: &str) -> &'static str {
        t(if code == "pending" {
            PaperMsg::PreRegPending
        } else {
            PaperMsg::PreRegCompleted
        })
    }

    /// The photos of a member: images inline, PDFs as links; each opens full size.
    #[component]
    fn Documents(docs: Vec<DocView>) -> impl IntoView {
        if docs.is_empty() {
            return ().into_any();
        }
        view! {
            <h4>{t(PaperMsg::DocumentsUploaded)}</h4>
            <ul class="thumbs">
                {docs.into_iter().map(|d| {
                    let href = format!("/documents/{}", d.sha256);
                    let label = code_text(&d.code);
                    let inner = if d.content_type.starts_with("image/") && d.content_type != "image/heic" {
                        view! { <img src=href.clone() alt=label.clone() loading="lazy"/> }.into_any()
                    } else {
                        view! { <span>{d.content_type.clone()}</span> }.into_any()
                    };
                    view! { <li><a href=href target="_blank">{inner}<span class="caption">{label}</span></a></li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    }

    /// One member as the resident and the office both see them.
    #[component]
    fn MemberSummary(m: PreMemberView) -> impl IntoView {
        let bring = m
            .to_bring
            .iter()
            .map(|c| code_text(c))
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <dl class="facts">
                <dt>{t(Msg::PolicyYear)}</dt><dd>{m.policy_year}</dd>
                <dt>{t(Msg::Status)}</dt><dd class="status">{pre_status(&m.status)}</dd>
                {(!m.register_at.is_empty()).then(|| view! { <dt>{t(PaperMsg::WhereToRegister)}</dt><dd>{m.register_at.clone()}</dd> })}
                <dt>{t(PaperMsg::WhatToBring)}</dt><dd>{bring}</dd>
            </dl>
            {m.quote.map(|q| view! { <QuoteResult q=q/> })}
            <Documents docs=m.documents/>
        }
    }

    #[component]
    pub fn RegisterPage() -> impl IntoView {
        let query = use_query_map();
        view! {
            <h1>{t(PaperMsg::PreRegTitle)}</h1>
            <p class="muted">{t(PaperMsg::PreRegIntro)}</p>
            {move || query.with(|q| q.get("error")).map(|code| view! { <ErrorNote error=AppError::bad_input(code)/> })}
            {move || query.with(|q| q.get("saved")).map(|_| view! { <p class="ok" role="status">{t(PaperMsg::PreRegSaved)}</p> })}
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {Suspend::new(async move {
                    loaded(my_preregistration().await, |d| view! { <RegisterBody d=d/> }.into_any())
                })}
            </Suspense>
        }
    }

    #[component]
    fn RegisterBody(d: MyPreRegistration) -> impl IntoView {
        let photo_help = with_n(t(PaperMsg::PhotoHelp), d.max_upload_mb);
        let file = |id: &'static str, name: &'static str, label: PaperMsg, multiple: bool| {
            view! {
                <label for=id>{t(label)}</label>
                <input id=id name=name type="file" accept="image/*,application/pdf" multiple=multiple/>
            }
        };
        view! {
            <section class="card" aria-labelledby="prereg-members">
                <h2 id="prereg-members">{t(Msg::Members)}</h2>
                {if d.members.is_empty() { Some(view! { <p>{t(PaperMsg::PreRegNone)}</p> }) } else { None }}
                {d.members.into_iter().map(|m| {
                    let (name, label, masked) = (m.name.clone(), m.name.clone(), m.id_masked.clone());
                    view! {
                        <article class="enrolment" aria-label=label>
                            <h3>{name} " " <span class="mono">{masked}</span></h3>
                            <MemberSummary m=m/>
                        </article>
                    }
                }).collect_view()}
                <p><a href=format!("/household/{}/form", d.household_id)>{t(Msg::RegFormNav)}</a></p>
            </section>
            <section class="card" aria-labelledby="prereg-add">
                <h2 id="prereg-add">{t(PaperMsg::PreRegAdd)}</h2>
                <form class="stack" method="post" action="/register/member" enctype="multipart/form-data">
                    {crate::kept::posted("member").map(|_| view! { <p class="warn" data-testid="choose-again">{t(ClaimMsg::ChooseFilesAgain)}</p> })}
                    <label for="r_year">{t(Msg::PolicyYear)}</label>
                    <select id="r_year" name="policy_year">
                        {d.years.iter().map(|y| view! { <option value=y.to_string() selected=chosen("member", "policy_year", &y.to_string(), false)>{*y}</option> }).collect_view()}
                    </select>
                    <FieldError form="member" name="policy_year"/>
                    <label for="r_id_number">{t(Msg::IdNumber)}</label>
                    <input id="r_id_number" name="id_number" required maxlength="30" autocomplete="off" autocapitalize="characters"
                        value=kept("member", "id_number", "") aria-invalid=invalid("member", "id_number")/>
                    <FieldError form="member" name="id_number"/>
                    <label for="r_name">{t(Msg::Name)}</label>
                    <input id="r_name" name="name" required value=kept("member", "name", "") aria-invalid=invalid("member", "name")/>
                    <FieldError form="member" name="name"/>
                    <PersonFactChecks with_in_school=true disability_id="r_disability"/>
                    <p class="muted">{photo_help}</p>
                    {file("r_doc_id_card", "doc_id_card", PaperMsg::PhotoIdCard, false)}
                    {file("r_doc_household_register", "doc_household_register", PaperMsg::PhotoHouseholdRegister, false)}
                    <label for="r_certificate_code">{t(PaperMsg::CertificateKind)}</label>
                    <select id="r_certificate_code" name="certificate_code">
                        <option value="">{t(Msg::NoneOption)}</option>
                        {["dibao_certificate", "disability_certificate", "low_income_proof", "temporary_residence_permit"]
                            .into_iter().map(|c| view! { <option value=c selected=chosen("member", "certificate_code", c, false)>{code_text(c)}</option> }).collect_view()}
                    </select>
                    {file("r_doc_certificate", "doc_certificate", PaperMsg::PhotoCertificate, true)}
                    <button type="submit">{t(PaperMsg::PreRegSend)}</button>
                </form>
            </section>
        }
    }

    /// What the last post of the office's page answered, from the URL.
    #[component]
    fn Outcome() -> impl IntoView {
        let query = use_query_map();
        let (error, corrected, done) =
            query.with(|q| (q.get("error"), q.get("corrected"), q.get("done")));
        view! {
            {error.map(|code| view! { <ErrorNote error=AppError::bad_input(code)/> })}
            {corrected.map(|_| view! { <p class="ok" role="status">{t(PaperMsg::Corrected)}</p> })}
            {done.map(|eid| view! {
                <p class="ok" role="status">{t(PaperMsg::PreRegDone)} " "
                    <a href="/enrol" data-enrolment=eid.clone()>{t(Msg::Enrolments)} " #" {eid.clone()}</a>
                </p>
            })}
        }
    }

    #[component]
    pub fn PreRegistrationPage() -> impl IntoView {
        let params = use_params_map();
        let member_id = params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0);
        view! {
            <h1>{t(Msg::PreRegNav)}</h1>
            <Outcome/>
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {Suspend::new(async move {
                    loaded(pre_registered_member(member_id).await, |d| view! { <OfficeDeskView d=d/> }.into_any())
                })}
            </Suspense>
        }
    }

    #[component]
    fn OfficeDeskView(d: OfficeDesk) -> impl IntoView {
        let m = d.member;
        let correct_to = format!("/prereg/{}/correct", m.id);
        let complete_to = format!("/prereg/{}/complete", m.id);
        let pending = m.status == "pending";
        let (ticked, grade, name) = (m.ticked.clone(), m.grade, m.name.clone());
        view! {
            <section class="card" aria-labelledby="desk-h">
                <h2 id="desk-h">{m.name.clone()} " " <span class="mono">{m.id_masked.clone()}</span></h2>
                <dl class="facts">
                    <dt>{t(Msg::HouseholdNumber)}</dt><dd>{d.household_number}</dd>
                    <dt>{t(Msg::Address)}</dt><dd>{d.address}</dd>
                </dl>
                <MemberSummary m=m/>
            </section>
            {pending.then(move || view! {
                <section class="card" aria-labelledby="correct-h">
                    <h2 id="correct-h">{t(PaperMsg::CorrectFacts)}</h2>
                    <form class="stack" method="post" action=correct_to>
                        <label for="c_name">{t(Msg::Name)}</label>
                        <input id="c_name" name="name" required value=name/>
                        <PersonFactChecks with_in_school=true disability_id="c_disability" ticked=ticked grade=grade/>
                        <button type="submit" class="secondary">{t(PaperMsg::SaveCorrection)}</button>
                    </form>
                </section>
                <section class="card">
                    <form method="post" action=complete_to>
                        <button type="submit">{t(PaperMsg::CompletePreReg)}</button>
                    </form>
                </section>
            })}
        }
    }
}
