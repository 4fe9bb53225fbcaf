//! A resident's own way in, rendered on the server only with plain forms
//! posting to server/src/signup.rs (phone first, 360 px): signing up by
//! phone without an activation code (`/signup/phone`), the password reset
//! by a code (`/account/reset`), the pre-registration of a whole new
//! household (`/register/new`); the office's desk of those
//! (`/applications`, `/applications/{id}`); and the administrator's view of
//! the message outbox (`/admin/outbox`). A page reached with `?error=`
//! answers with that refusal's status and keeps what was typed (never a
//! password).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{loaded, PersonFactChecks};
use crate::error::AppError;
use crate::i18n::{claim_error, code_text, t, AccountMsg, Msg, PaperMsg, SignupMsg};

/// The page's status follows the refusal its query carries.
fn error_note() -> impl IntoView {
    let error = use_query_map().with(|q| q.get("error"));
    if let Some(code) = &error {
        let status = db::error::Refusal::all()
            .into_iter()
            .find(|r| r.code() == code)
            .map_or(400, |r| r.kind().status());
        crate::components::page_status(status);
    }
    error.map(|code| view! { <p class="error" role="alert">{claim_error(&code)}</p> })
}

fn query(name: &str) -> String {
    use_query_map().with(|q| q.get(name)).unwrap_or_default()
}

fn codes_available() -> bool {
    crate::ssr::state()
        .map(|st| st.codes.is_some())
        .unwrap_or(false)
}

fn unavailable() -> AnyView {
    view! { <p class="error" role="alert">{t(SignupMsg::Unavailable)}</p> }.into_any()
}

/// What a sign-up waiting for its code shows again.
async fn pending_signup() -> Result<Option<db::signup::Pending>, AppError> {
    let st = crate::ssr::state()?;
    match crate::ssr::cookie("portal_code") {
        Some(handle) if !handle.is_empty() => Ok(db::signup::pending(&st.db, &handle).await?),
        _ => Ok(None),
    }
}

fn field(
    id: &'static str,
    label: &'static str,
    value: String,
    kind: &'static str,
    auto: &'static str,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id name=id type=kind value=value required autocomplete=auto/>
    }
}

#[component]
pub fn SignupPhonePage() -> impl IntoView {
    let restart = !query("restart").is_empty();
    view! {
        <section class="card narrow">
            <h1>{t(SignupMsg::Title)}</h1>
            {error_note()}
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {Suspend::new(async move {
                    if !codes_available() {
                        return unavailable();
                    }
                    let pending = if restart { Ok(None) } else { pending_signup().await };
                    loaded(pending, |p| match p {
                        Some(p) => view! { <ConfirmCode p=p/> }.into_any(),
                        None => view! { <SignupForm/> }.into_any(),
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SignupForm() -> impl IntoView {
    let max = db::accounts::MAX_PASSWORD_LEN.to_string();
    view! {
        <p class="muted">{t(SignupMsg::Intro)}</p>
        <form method="post" action="/signup/phone" class="stack">
            {field("name", t(Msg::Name), query("name"), "text", "name")}
            <label for="id_number">{t(Msg::IdNumber)}</label>
            <input id="id_number" name="id_number" required maxlength="30" autocomplete="off" autocapitalize="characters"/>
            {field("phone", t(SignupMsg::Phone), query("phone"), "tel", "tel")}
            {field("username", t(Msg::Username), query("username"), "text", "username")}
            <label for="password">{t(Msg::Password)}</label>
            <input id="password" name="password" type="password" required minlength="8" maxlength=max autocomplete="new-password"/>
            <p class="muted">{t(AccountMsg::PasswordHelp)}</p>
            <button type="submit">{t(SignupMsg::SendCode)}</button>
        </form>
        <p><a href="/account/reset">{t(SignupMsg::ForgotLink)}</a></p>
    }
}

#[component]
fn ConfirmCode(p: db::signup::Pending) -> impl IntoView {
    view! {
        <p role="status">{t(SignupMsg::CodeSent)} " " <span class="mono">{db::codes::masked_phone(&p.phone)}</span></p>
        <dl class="facts">
            <dt>{t(Msg::Name)}</dt><dd>{p.name}</dd>
            <dt>{t(Msg::IdNumber)}</dt><dd class="mono">{db::households::masked_id(&p.id_number)}</dd>
            <dt>{t(Msg::Username)}</dt><dd>{p.username}</dd>
        </dl>
        <form method="post" action="/signup/phone/confirm" class="stack">
            <label for="code">{t(SignupMsg::Code)}</label>
            <input id="code" name="code" inputmode="numeric" pattern="[0-9０-９ ]*" maxlength="8" required autocomplete="one-time-code"/>
            <button type="submit">{t(SignupMsg::Confirm)}</button>
        </form>
        <p><a href="/signup/phone?restart=1">{t(SignupMsg::StartOver)}</a></p>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let (sent, ok) = (!query("sent").is_empty(), query("ok") == "done");
    let max = db::accounts::MAX_PASSWORD_LEN.to_string();
    view! {
        <section class="card narrow">
            <h1>{t(SignupMsg::ResetTitle)}</h1>
            {error_note()}
            {move || if !codes_available() {
                unavailable()
            } else if ok {
                view! {
                    <p class="ok" role="status">{t(SignupMsg::ResetDone)}</p>
                    <p><a class="button" href="/login">{t(Msg::Login)}</a></p>
                }.into_any()
            } else if sent {
                let max = max.clone();
                view! {
                    <p role="status">{t(SignupMsg::ResetSent)}</p>
                    <form method="post" action="/account/reset/confirm" class="stack">
                        <label for="code">{t(SignupMsg::Code)}</label>
                        <input id="code" name="code" inputmode="numeric" maxlength="8" required autocomplete="one-time-code"/>
                        <label for="new">{t(AccountMsg::NewPassword)}</label>
                        <input id="new" name="new" type="password" required minlength="8" maxlength=max.clone() autocomplete="new-password"/>
                        <label for="repeat">{t(AccountMsg::RepeatPassword)}</label>
                        <input id="repeat" name="repeat" type="password" required minlength="8" maxlength=max autocomplete="new-password"/>
                        <button type="submit">{t(AccountMsg::ChangePassword)}</button>
                    </form>
                    <p><a href="/account/reset">{t(SignupMsg::StartOver)}</a></p>
                }.into_any()
            } else {
                view! {
                    <p class="muted">{t(SignupMsg::ResetIntro)}</p>
                    <form method="post" action="/account/reset" class="stack">
                        <label for="who">{t(SignupMsg::ResetWho)}</label>
                        <input id="who" name="who" required maxlength="64" autocomplete="username"/>
                        <button type="submit">{t(SignupMsg::SendCode)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

async fn outbox() -> Result<Vec<db::outbox::Message>, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(db::outbox::list(&st.db, &actor, 100).await?)
}

fn message_status(code: &str) -> &'static str {
    t(match code {
        "delivered" => SignupMsg::StDelivered,
        "failed" => SignupMsg::StFailed,
        _ => SignupMsg::StPending,
    })
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    view! {
        <h1>{t(SignupMsg::OutboxTitle)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(outbox().await, |list| view! {
                    <p class="muted">{t(SignupMsg::OutboxDemo)}</p>
                    {list.is_empty().then(|| view! { <p>{t(Msg::NoRecords)}</p> })}
                    <ul class="links outbox">
                        {list.into_iter().map(|m| {
                            let purpose = t(if m.purpose == "reset" { SignupMsg::PurposeReset } else { SignupMsg::PurposeSignup });
                            view! {
                                <li data-message=m.id.to_string()>
                                    <span class="mono">{m.to_phone.clone()}</span> " · " {purpose} " · "
                                    {message_status(&m.status)} " · " {t(SignupMsg::Attempts)} " " {m.attempts} " · "
                                    {db::rfc3339_local(m.created_at)}
                                    <br/><span class="body">{m.body.clone()}</span>
                                    {m.last_error.clone().map(|e| view! { <br/><span class="error">{e}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())
            })}
        </Suspense>
    }
}

/// The resident's new household: their application, the offices to choose from, the years.
#[derive(Clone)]
struct NewHousehold {
    application: Option<db::applications::Application>,
    offices: Vec<db::orgs::OrgUnit>,
    years: Vec<i32>,
    max_upload_mb: usize,
    has_household: bool,
}

async fn new_household() -> Result<NewHousehold, AppError> {
    let actor = crate::ssr::actor().await?;
    if actor.role != db::scope::Role::Resident {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    Ok(NewHousehold {
        application: db::applications::mine(&st.db, &actor).await?,
        offices: db::orgs::list(&st.db)
            .await?
            .into_iter()
            .filter(|o| o.kind == "office")
            .collect(),
        years: st.rules().years.keys().rev().copied().collect(),
        max_upload_mb: st.max_upload_bytes / (1024 * 1024),
        has_household: actor.household_id.is_some(),
    })
}

fn relation_text(code: &str) -> &'static str {
    t(match code {
        "head" => SignupMsg::RelHead,
        "spouse" => SignupMsg::RelSpouse,
        "child" => SignupMsg::RelChild,
        "parent" => SignupMsg::RelParent,
        "grandchild" => SignupMsg::RelGrandchild,
        _ => SignupMsg::RelOther,
    })
}

fn office_name(offices: &[db::orgs::OrgUnit], code: &str) -> String {
    let lang = crate::i18n::initial_lang();
    offices.iter().find(|o| o.code == code).map_or_else(
        || code.to_string(),
        |o| lang.pick(&o.name_zh, &o.name_en).to_string(),
    )
}

#[component]
fn AppMembers(members: Vec<db::applications::AppMember>) -> impl IntoView {
    view! {
        <ul class="links members">
            {members.into_iter().map(|m| {
                let docs = m.documents.iter().map(|d| code_text(&d.evidence_code)).collect::<Vec<_>>().join(" · ");
                let thumbs = m.documents.clone();
                view! {
                    <li aria-label=m.name.clone()>
                        <strong>{m.name.clone()}</strong> " (" {relation_text(&m.relation)} ") "
                        <span class="mono">{db::households::masked_id(&m.id_number)}</span>
                        {(!docs.is_empty()).then(|| view! { <br/><span class="muted">{docs}</span> })}
                        <span class="thumbs">
                            {thumbs.into_iter().filter(|d| d.content_type.starts_with("image/") && d.content_type != "image/heic").map(|d| {
                                let (href, src) = (format!("/documents/{}", d.sha256), format!("/documents/{}", d.sha256));
                                view! { <a href=href target="_blank"><img src=src alt=code_text(&d.evidence_code) loading="lazy" width="64"/></a> }
                            }).collect_view()}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn NewHouseholdPage() -> impl IntoView {
    let ok = query("ok");
    view! {
        <h1>{t(SignupMsg::NewHouseholdTitle)}</h1>
        {error_note()}
        {(!ok.is_empty()).then(|| view! { <p class="ok" role="status">{t(SignupMsg::Saved)}</p> })}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(new_household().await, |d| view! { <NewHouseholdBody d=d/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn NewHouseholdBody(d: NewHousehold) -> impl IntoView {
    if d.has_household {
        return view! {
            <p>{t(SignupMsg::HasHousehold)}</p>
            <p><a class="button" href="/">{t(Msg::MyHousehold)}</a> " " <a class="button secondary" href="/register">{t(Msg::PreRegNav)}</a></p>
        }.into_any();
    }
    let app = d.application.clone();
    let chosen = app
        .as_ref()
        .map(|a| a.office_code.clone())
        .unwrap_or_default();
    let address = app
        .as_ref()
        .map(|a| a.address.clone())
        .unwrap_or_else(|| query("address"));
    let year = app.as_ref().map(|a| a.policy_year);
    let pending = app.as_ref().is_none_or(|a| a.status == "pending");
    let photo_help = crate::i18n::with_n(t(PaperMsg::PhotoHelp), d.max_upload_mb);
    view! {
        <p class="muted">{t(SignupMsg::NewHouseholdIntro)}</p>
        {app.clone().map(|a| view! {
            <section class="card" aria-labelledby="app-h">
                <h2 id="app-h">{t(SignupMsg::YourApplication)}</h2>
                <dl class="facts">
                    <dt>{t(SignupMsg::Office)}</dt><dd>{office_name(&d.offices, &a.office_code)}</dd>
                    <dt>{t(Msg::Address)}</dt><dd>{a.address.clone()}</dd>
                    <dt>{t(Msg::PolicyYear)}</dt><dd>{a.policy_year}</dd>
                    <dt>{t(Msg::Status)}</dt><dd class="status">{t(if a.status == "pending" { SignupMsg::Waiting } else { SignupMsg::Completed })}</dd>
                </dl>
                {if a.members.is_empty() { Some(view! { <p>{t(PaperMsg::PreRegNone)}</p> }) } else { None }}
                <AppMembers members=a.members.clone()/>
            </section>
        })}
        {pending.then(|| view! {
            <section class="card" aria-labelledby="office-h">
                <h2 id="office-h">{t(SignupMsg::Office)}</h2>
                <form method="post" action="/register/new" class="stack">
                    <label for="office_code">{t(SignupMsg::OfficeHelp)}</label>
                    <select id="office_code" name="office_code" required>
                        {d.offices.iter().map(|o| {
                            let lang = crate::i18n::initial_lang();
                            view! { <option value=o.code.clone() selected=o.code == chosen>{lang.pick(&o.name_zh, &o.name_en).to_string()}</option> }
                        }).collect_view()}
                    </select>
                    <label for="address">{t(Msg::Address)}</label>
                    <input id="address" name="address" required maxlength="200" value=address/>
                    <label for="n_year">{t(Msg::PolicyYear)}</label>
                    <select id="n_year" name="policy_year">
                        {d.years.iter().map(|y| view! { <option value=y.to_string() selected=Some(*y) == year>{*y}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="secondary">{t(SignupMsg::SaveApplication)}</button>
                </form>
            </section>
        })}
        {(pending && app.is_some()).then(|| view! {
            <section class="card" aria-labelledby="member-h">
                <h2 id="member-h">{t(PaperMsg::PreRegAdd)}</h2>
                <form class="stack" method="post" action="/register/new/member" enctype="multipart/form-data">
                    <label for="m_relation">{t(SignupMsg::Relation)}</label>
                    <select id="m_relation" name="relation">
                        {db::applications::RELATIONS.iter().map(|r| view! { <option value=*r>{relation_text(r)}</option> }).collect_view()}
                    </select>
                    <label for="m_id_number">{t(Msg::IdNumber)}</label>
                    <input id="m_id_number" name="id_number" required maxlength="30" autocomplete="off" autocapitalize="characters"/>
                    <label for="m_name">{t(Msg::Name)}</label>
                    <input id="m_name" name="name" required/>
                    <PersonFactChecks with_in_school=true disability_id="m_disability"/>
                    <p class="muted">{photo_help}</p>
                    <label for="m_doc_id_card">{t(PaperMsg::PhotoIdCard)}</label>
                    <input id="m_doc_id_card" name="doc_id_card" type="file" accept="image/*,application/pdf" capture="environment"/>
                    <label for="m_doc_household_register">{t(PaperMsg::PhotoHouseholdRegister)}</label>
                    <input id="m_doc_household_register" name="doc_household_register" type="file" accept="image/*,application/pdf" capture="environment"/>
                    <label for="m_certificate_code">{t(PaperMsg::CertificateKind)}</label>
                    <select id="m_certificate_code" name="certificate_code">
                        <option value="">{t(Msg::NoneOption)}</option>
                        {["dibao_certificate", "disability_certificate", "low_income_proof", "temporary_residence_permit"]
                            .into_iter().map(|c| view! { <option value=c>{code_text(c)}</option> }).collect_view()}
                    </select>
                    <label for="m_doc_certificate">{t(PaperMsg::PhotoCertificate)}</label>
                    <input id="m_doc_certificate" name="doc_certificate" type="file" accept="image/*,application/pdf" capture="environment" multiple/>
                    <button type="submit">{t(PaperMsg::PreRegSend)}</button>
                </form>
            </section>
        })}
    }.into_any()
}

async fn applications() -> Result<Vec<db::applications::Application>, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(db::applications::pending(&st.db, &actor).await?)
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! {
        <h1>{t(SignupMsg::ApplicationsTitle)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(applications().await, |list| view! {
                    {list.is_empty().then(|| view! { <p>{t(Msg::NoRecords)}</p> })}
                    <ul class="links">
                        {list.into_iter().map(|a| view! {
                            <li><a href=format!("/applications/{}", a.id)>{t(Msg::OpenItem)} " " {a.applicant.clone()} " · " {a.address.clone()} " · " {a.members.len()}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any())
            })}
        </Suspense>
    }
}

async fn application(
    id: i64,
) -> Result<(db::applications::Application, Vec<db::orgs::OrgUnit>), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let a = db::applications::get(&st.db, &actor, id).await?;
    Ok((a, db::orgs::list(&st.db).await?))
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let id = use_params_map()
        .with(|p| p.get("id"))
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let done = query("ok") == "completed";
    let left = query("left");
    view! {
        <h1>{t(SignupMsg::ApplicationsTitle)}</h1>
        {error_note()}
        {done.then(|| view! {
            <p class="ok" role="status">{t(SignupMsg::Completed)}
                {(left != "0" && !left.is_empty()).then(|| view! { " " {t(SignupMsg::CompletedLeft)} })}
            </p>
        })}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(application(id).await, |(a, offices)| {
                    let pending = a.status == "pending";
                    let complete_to = format!("/applications/{}/complete", a.id);
                    view! {
                        <section class="card">
                            <dl class="facts">
                                <dt>{t(SignupMsg::Applicant)}</dt><dd>{a.applicant.clone()}</dd>
                                <dt>{t(SignupMsg::Office)}</dt><dd>{office_name(&offices, &a.office_code)}</dd>
                                <dt>{t(Msg::Address)}</dt><dd>{a.address.clone()}</dd>
                                <dt>{t(Msg::PolicyYear)}</dt><dd>{a.policy_year}</dd>
                                <dt>{t(Msg::Status)}</dt><dd class="status">{t(if pending { SignupMsg::Waiting } else { SignupMsg::Completed })}</dd>
                            </dl>
                            <AppMembers members=a.members.clone()/>
                        </section>
                        {pending.then(|| view! {
                            <section class="card">
                                <p class="muted">{t(SignupMsg::CompleteHelp)}</p>
                                <form method="post" action=complete_to>
                                    <button type="submit">{t(SignupMsg::Complete)}</button>
                                </form>
                            </section>
                        })}
                    }.into_any()
                })
            })}
        </Suspense>
    }
}
