//! Claims: a resident reports an emergency, asks for approvals, files a
//! claim and photographs its documents on the phone, and follows it
//! (`/claims`, `/claims/new`, `/claims/{number}`); the agency reviews in two
//! steps and answers approvals (`/claims/review`), and pays in monthly runs
//! (`/runs`, `/runs/{number}`).
//!
//! Rendered on the server only, with plain HTML forms that post to
//! server/src/claims.rs and come back with the outcome in the URL: they work
//! on any phone with or without WebAssembly, and they add nothing to the
//! WebAssembly of the other pages. `public/claims.js`, when it loads, uploads
//! documents one by one with a progress bar, skips what already arrived and
//! retries after a lost connection.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{loaded, yuan};
use crate::error::AppError;
use crate::i18n::{claim_code_text, claim_error, t, use_lang, with_n, ClaimMsg, Msg};

fn when(ms: i64) -> String {
    db::local_time(ms)
}

/// Outcome of the last post, from the URL: `?error=<code>` or `?ok=<code>`.
#[component]
fn Outcome() -> impl IntoView {
    let query = use_query_map();
    let (error, ok) = query.with(|q| (q.get("error"), q.get("ok")));
    view! {
        {error.map(|code| view! { <p class="error" role="alert">{claim_error(&code)}</p> })}
        {ok.map(|code| view! { <p class="ok" role="status">{claim_code_text(&code)}</p> })}
    }
}

fn steps_view(ex: &policy::explain::Explanation) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="steps">
            {ex.0.iter().map(|s| {
                let text = lang.pick(&s.zh, &s.en).to_string();
                view! { <li><span class="article">{s.article.clone()}</span> " " {text}</li> }
            }).collect_view()}
        </ol>
    }
}

// ---------------------------------------------------------------------------
// The resident's page

struct MyClaims {
    members: Vec<db::households::Person>,
    claims: Vec<db::claims::Claim>,
    reports: Vec<db::claims::EmergencyReport>,
    approvals: Vec<db::claims::Approval>,
    filing_days: u32,
    today: chrono::NaiveDate,
}

async fn my_claims() -> Result<MyClaims, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let household = actor.household_id.ok_or(AppError::Forbidden)?;
    let today = db::claims::today();
    let filing_days = st
        .rules()
        .year(chrono::Datelike::year(&today))
        .map(|p| p.deadlines.emergency_filing_days)
        .unwrap_or(3);
    Ok(MyClaims {
        members: db::households::members(&st.db, &actor, household).await?,
        claims: db::claims::household_claims(&st.db, &actor).await?,
        reports: db::claims::household_reports(&st.db, &actor).await?,
        approvals: db::claims::household_approvals(&st.db, &actor).await?,
        filing_days,
        today,
    })
}

fn member_select(id: &'static str, members: &[db::households::Person]) -> impl IntoView {
    view! {
        <label for=id>{t(ClaimMsg::Member)}</label>
        <select id=id name="person_id" required>
            {members.iter().map(|m| view! { <option value=m.id.to_string()>{m.name.clone()}</option> }).collect_view()}
        </select>
    }
}

fn disease_select(id: &'static str, required: bool) -> impl IntoView {
    view! {
        <label for=id>{t(ClaimMsg::Disease)}</label>
        <select id=id name="disease" required=required>
            <option value="">{t(Msg::NoneOption)}</option>
            {db::claims::DISEASES.iter().map(|d| view! { <option value=d.code()>{claim_code_text(d.code())}</option> }).collect_view()}
        </select>
    }
}

#[component]
pub fn ClaimsPage() -> impl IntoView {
    view! {
        <h1>{t(Msg::ClaimsNav)}</h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(my_claims().await, |d| view! { <ClaimsBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn ClaimsBody(d: MyClaims) -> impl IntoView {
    let today = d.today.to_string();
    let deadline_help = with_n(t(ClaimMsg::EmergencyHelp), d.filing_days);
    view! {
        <section class="card" aria-labelledby="my-claims">
            <h2 id="my-claims">{t(ClaimMsg::MyClaims)}</h2>
            {d.claims.is_empty().then(|| view! { <p>{t(ClaimMsg::NoClaims)}</p> })}
            <ul class="links claims">
                {d.claims.iter().map(|c| view! {
                    <li data-claim=c.number.clone()>
                        <a href=format!("/claims/{}", c.number) rel="external">{c.number.clone()}</a>
                        " · " {c.person_name.clone()} " · " {claim_code_text(&c.kind)} " · "
                        <span class="status">{claim_code_text(&c.status)}</span>
                        {c.payout_fen.filter(|_| c.status == "approved" || c.status == "paid").map(|p| view! { " · " {yuan(p)} })}
                    </li>
                }).collect_view()}
            </ul>
            <h3>{t(ClaimMsg::FileClaim)}</h3>
            <p class="actions">
                {db::claims::FILED_KINDS.iter().map(|k| view! {
                    <a class="button secondary" href=format!("/claims/new?kind={}", k.code()) rel="external">{claim_code_text(k.code())}</a>
                }).collect_view()}
            </p>
        </section>

        <section class="card" aria-labelledby="emergency">
            <h2 id="emergency">{t(ClaimMsg::ReportEmergency)}</h2>
            <p class="muted">{deadline_help}</p>
            <form class="stack" method="post" action="/claims/emergency" data-days-left=d.filing_days.to_string()>
                {member_select("e_person", &d.members)}
                <label for="e_kind">{t(ClaimMsg::Kind)}</label>
                <select id="e_kind" name="kind">
                    <option value="nondesignated_emergency">{claim_code_text("nondesignated_emergency")}</option>
                    <option value="outpatient_emergency">{claim_code_text("outpatient_emergency")}</option>
                </select>
                <label for="e_on">{t(ClaimMsg::OccurredOn)}</label>
                <input id="e_on" name="occurred_on" type="date" required max=today.clone() value=today.clone()
                    data-today=today.clone() data-template=t(ClaimMsg::DaysLeftTemplate) data-late=t(ClaimMsg::ReportTooLate)/>
                <p class="muted" id="e_days_left" aria-live="polite"></p>
                <label for="e_hospital">{t(ClaimMsg::Hospital)}</label>
                <input id="e_hospital" name="hospital" required maxlength="100"/>
                <label for="e_note">{t(ClaimMsg::Note)}</label>
                <input id="e_note" name="note" maxlength="200"/>
                <button type="submit">{t(ClaimMsg::SendReport)}</button>
            </form>
            {(!d.reports.is_empty()).then(|| view! {
                <h3>{t(ClaimMsg::Reports)}</h3>
                <ul class="links">
                    {d.reports.iter().map(|r| view! {
                        <li>{r.occurred_on.clone()} " · " {claim_code_text(&r.kind)} " · " {r.hospital.clone()} " · "
                            {with_n(t(ClaimMsg::ReportedAfter), r.days_after)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>

        <section class="card" aria-labelledby="approvals">
            <h2 id="approvals">{t(ClaimMsg::Approvals)}</h2>
            <p class="muted">{t(ClaimMsg::ApprovalsHelp)}</p>
            <ul class="links">
                {d.approvals.iter().map(|a| view! {
                    <li data-approval=a.id.to_string()>{a.person_name.clone()} " · " {claim_code_text(&a.kind)}
                        {a.disease.as_deref().map(|x| format!(" ({})", claim_code_text(x)))}
                        " · " {a.hospital.clone()} " · " {a.care_on.clone()} " · " <span class="status">{claim_code_text(&format!("approval_status_{}", a.status))}</span>
                        {a.decision_note.clone().filter(|n| !n.is_empty()).map(|n| format!(" — {n}"))}</li>
                }).collect_view()}
            </ul>
            <form class="stack" method="post" action="/claims/approval">
                {member_select("a_person", &d.members)}
                <label for="a_kind">{t(ClaimMsg::ApprovalKind)}</label>
                <select id="a_kind" name="kind">
                    {["transfer", "special_disease", "special_item"].into_iter().map(|k| view! { <option value=k>{claim_code_text(k)}</option> }).collect_view()}
                </select>
                {disease_select("a_disease", false)}
                <label for="a_hospital">{t(ClaimMsg::Hospital)}</label>
                <input id="a_hospital" name="hospital" required maxlength="100"/>
                <label for="a_care_on">{t(ClaimMsg::CareOn)}</label>
                <input id="a_care_on" name="care_on" type="date" required value=today.clone()/>
                <label for="a_amount">{t(ClaimMsg::ItemAmount)}</label>
                <input id="a_amount" name="amount" inputmode="decimal"/>
                <label class="check"><input type="checkbox" name="emergency" value="1"/> {t(ClaimMsg::DoneInEmergency)}</label>
                <label for="a_reason">{t(ClaimMsg::Reason)}</label>
                <input id="a_reason" name="reason" maxlength="200"/>
                <button type="submit">{t(ClaimMsg::AskApproval)}</button>
            </form>
        </section>
        <script src="/claims.js" defer></script>
    }
}

// ---------------------------------------------------------------------------
// Filing a claim

async fn filing_form() -> Result<(Vec<db::households::Person>, String), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let household = actor.household_id.ok_or(AppError::Forbidden)?;
    Ok((
        db::households::members(&st.db, &actor, household).await?,
        db::payments::new_request_key(),
    ))
}

#[component]
pub fn NewClaimPage() -> impl IntoView {
    let query = use_query_map();
    let kind = query
        .with(|q| q.get("kind"))
        .and_then(|k| db::claims::kind_from_code(&k))
        .unwrap_or(policy::benefit::ClaimKind::SpecialOutpatient);
    view! {
        <h1>{t(ClaimMsg::FileClaim)} ": " {claim_code_text(kind.code())}</h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(filing_form().await, |(members, key)| view! { <FilingForm kind members key/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn FilingForm(
    kind: policy::benefit::ClaimKind,
    members: Vec<db::households::Person>,
    key: String,
) -> impl IntoView {
    use policy::benefit::ClaimKind;
    let special = kind == ClaimKind::SpecialOutpatient;
    let today = db::claims::today().to_string();
    let help = match kind {
        ClaimKind::SpecialOutpatient => ClaimMsg::HelpSpecial,
        ClaimKind::Transfer => ClaimMsg::HelpTransfer,
        ClaimKind::NondesignatedEmergency | ClaimKind::OutpatientEmergency => {
            ClaimMsg::HelpEmergency
        }
        _ => ClaimMsg::HelpAccident,
    };
    let needed = db::claims::required_documents(kind)
        .iter()
        .map(|c| claim_code_text(c))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <section class="card">
            <p class="muted">{t(help)}</p>
            <p class="muted">{t(ClaimMsg::DocumentsNeeded)} ": " {needed}</p>
            <form class="stack" method="post" action="/claims/file">
                <input type="hidden" name="kind" value=kind.code()/>
                <input type="hidden" name="request_key" value=key/>
                {member_select("c_person", &members)}
                <label for="c_from">{t(if special { ClaimMsg::MonthFrom } else { ClaimMsg::CareFrom })}</label>
                <input id="c_from" name="care_from" type="date" required max=today.clone()/>
                <label for="c_to">{t(if special { ClaimMsg::MonthTo } else { ClaimMsg::CareTo })}</label>
                <input id="c_to" name="care_to" type="date" required max=today.clone()/>
                {special.then(|| disease_select("c_disease", true))}
                <label for="c_hospital">{t(ClaimMsg::Hospital)}</label>
                <input id="c_hospital" name="hospital" required maxlength="100"/>
                <label for="c_grade">{t(ClaimMsg::HospitalGrade)}</label>
                <select id="c_grade" name="hospital_grade">
                    <option value="3">{t(ClaimMsg::Grade3)}</option>
                    <option value="2">{t(ClaimMsg::Grade2)}</option>
                    <option value="1">{t(ClaimMsg::Grade1)}</option>
                </select>
                <label for="c_billed">{t(ClaimMsg::Billed)}</label>
                <input id="c_billed" name="billed" required inputmode="decimal"/>
                <fieldset>
                    <legend>{t(ClaimMsg::FilingAgent)}</legend>
                    <label for="c_agent_name">{t(Msg::Name)}</label>
                    <input id="c_agent_name" name="agent_name" required maxlength="50"/>
                    <label for="c_agent_id">{t(Msg::IdNumber)}</label>
                    <input id="c_agent_id" name="agent_id_number" required maxlength="18" autocomplete="off" autocapitalize="characters"/>
                    <label for="c_agent_relation">{t(ClaimMsg::Relation)}</label>
                    <select id="c_agent_relation" name="agent_relation">
                        {db::claims::RELATIONS.iter().map(|r| view! { <option value=*r>{claim_code_text(&format!("relation_{r}"))}</option> }).collect_view()}
                    </select>
                </fieldset>
                <fieldset>
                    <legend>{t(ClaimMsg::PayTo)}</legend>
                    <label for="c_account">{t(ClaimMsg::BankAccount)}</label>
                    <input id="c_account" name="bank_account" required inputmode="numeric" maxlength="30"/>
                    <label for="c_account_name">{t(ClaimMsg::AccountName)}</label>
                    <input id="c_account_name" name="account_name" required maxlength="50"/>
                </fieldset>
                <button type="submit">{t(ClaimMsg::FileAndUpload)}</button>
            </form>
        </section>
    }
}

// ---------------------------------------------------------------------------
// One claim

struct ClaimPageData {
    claim: db::claims::Claim,
    events: Vec<db::claims::Event>,
    documents: Vec<db::documents::Document>,
    missing: Vec<&'static str>,
    estimate: Option<policy::benefit::BenefitDecision>,
    actor: db::Actor,
    max_upload_mb: usize,
    suspensions: Vec<db::claims::SuspensionRow>,
}

async fn claim_page(number: String) -> Result<ClaimPageData, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let claim = db::claims::get(&st.db, &actor, &number).await?;
    let undecided = matches!(
        claim.status.as_str(),
        "filed" | "first_review" | "second_review"
    );
    let estimate = if undecided {
        db::claims::estimate(&st.db, &st.rules(), &claim).await.ok()
    } else {
        None
    };
    let suspensions = if actor.role.is_agency() {
        db::claims::suspensions(&st.db, claim.person_id).await?
    } else {
        vec![]
    };
    let documents = db::claims::documents_of(&st.db, claim.id).await?;
    Ok(ClaimPageData {
        events: db::claims::events(&st.db, claim.id).await?,
        missing: db::claims::missing_among(&claim, &documents)?,
        documents,
        estimate,
        actor,
        max_upload_mb: st.max_upload_bytes / (1024 * 1024),
        suspensions,
        claim,
    })
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let number = use_params_map()
        .with(|p| p.get("number"))
        .unwrap_or_default();
    view! {
        <h1>{t(ClaimMsg::Claim)} " " <span class="mono">{number.clone()}</span></h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(claim_page(number).await, |d| view! { <ClaimBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

fn step_text(step: &str) -> &'static str {
    t(match step {
        "filed" => ClaimMsg::StepFiled,
        "first_review" => ClaimMsg::StepFirstReview,
        "returned" => ClaimMsg::StepReturned,
        "approved" => ClaimMsg::StepApproved,
        "refused" => ClaimMsg::StepRefused,
        "paid" => ClaimMsg::StepPaid,
        "fraud" => ClaimMsg::StepFraud,
        _ => ClaimMsg::StepOther,
    })
}

#[component]
fn ClaimBody(d: ClaimPageData) -> impl IntoView {
    let c = d.claim;
    let number = c.number.clone();
    let is_resident = d.actor.role == db::scope::Role::Resident;
    let is_reviewer = matches!(
        d.actor.role,
        db::scope::Role::AgencyReviewer | db::scope::Role::AgencyAdmin
    );
    let pending_first = c.status == "filed";
    let pending_second = c.status == "second_review";
    let decided = c.status == "approved" || c.status == "paid" || c.status == "refused";
    let explanation = c.explanation();
    // The timeline: what happened, then what is still to come.
    let mut to_come: Vec<&'static str> = Vec::new();
    if pending_first {
        to_come.extend(["first_review", "second_review"]);
    } else if pending_second {
        to_come.push("second_review");
    }
    if !decided || c.status == "approved" {
        to_come.push("paid");
    }
    view! {
        <section class="card" aria-labelledby="claim-status">
            <h2 id="claim-status">{t(Msg::Status)} ": " <span class="status" data-status=c.status.clone()>{claim_code_text(&c.status)}</span></h2>
            <ol class="timeline">
                {d.events.iter().map(|e| view! {
                    <li class="done" data-step=e.step.clone()>
                        <strong>{step_text(&e.step)}</strong> " " {when(e.at_ms)}
                        {e.by_name.clone().map(|n| format!(" · {n}"))}
                        {e.note.clone().map(|n| view! { <div class="muted">{n}</div> })}
                    </li>
                }).collect_view()}
                {to_come.into_iter().map(|s| view! {
                    <li class="todo" data-step=s>{t(match s {
                        "first_review" => ClaimMsg::StepFirstReview,
                        "second_review" => ClaimMsg::StepSecondReview,
                        _ => ClaimMsg::StepPaid,
                    })} " " <span class="muted">{t(ClaimMsg::ToCome)}</span></li>
                }).collect_view()}
            </ol>
            {c.payment_run_number.clone().filter(|_| c.status == "paid").map(|run| view! {
                <p class="ok" role="status" id="paid-line">{with_n(t(ClaimMsg::PaidInRun), &run)} " " {c.run_window_start.clone()}</p>
            })}
            {(c.status == "approved").then(|| view! {
                <p class="ok">{t(ClaimMsg::WaitingForRun)} " " {c.run_window_start.clone()}</p>
            })}
            <dl class="facts">
                <dt>{t(ClaimMsg::Member)}</dt><dd>{c.person_name.clone()}</dd>
                <dt>{t(ClaimMsg::Kind)}</dt><dd>{claim_code_text(&c.kind)}
                    {c.disease.as_deref().map(|x| format!(" ({})", claim_code_text(x)))}</dd>
                <dt>{t(ClaimMsg::CareFrom)}</dt><dd>{c.care_from.clone()} " — " {c.care_to.clone()}</dd>
                <dt>{t(ClaimMsg::Hospital)}</dt><dd>{c.hospital.clone()} " (" {with_n(t(ClaimMsg::GradeN), c.hospital_grade)} ")"</dd>
                <dt>{t(ClaimMsg::Billed)}</dt><dd>{yuan(c.billed_fen)}</dd>
                {c.in_catalogue_fen.map(|f| view! { <dt>{t(ClaimMsg::InCatalogue)}</dt><dd>{yuan(f)}</dd> })}
                <dt>{t(ClaimMsg::FilingAgent)}</dt><dd>{c.agent_name.clone()} " · " {claim_code_text(&format!("relation_{}", c.agent_relation))}
                    " · " <span class="mono">{db::households::masked_id(&c.agent_id_number)}</span></dd>
                {c.first_reviewer_name.clone().map(|n| view! { <dt>{t(ClaimMsg::FirstReviewer)}</dt><dd>{n}</dd> })}
                {c.second_reviewer_name.clone().map(|n| view! { <dt>{t(ClaimMsg::SecondReviewer)}</dt><dd>{n}</dd> })}
            </dl>
        </section>

        {decided.then(|| view! {
            <section class="card" aria-labelledby="decision">
                <h2 id="decision">{t(ClaimMsg::Decision)}</h2>
                <p class="payout" id="payout">{t(ClaimMsg::Payout)} ": " <strong>{yuan(c.payout_fen.unwrap_or(0))}</strong></p>
                {c.reason.clone().map(|r| view! { <p class="error" id="reason">{t(ClaimMsg::ReasonLabel)} ": " {claim_code_text(&r)}</p> })}
                {steps_view(&explanation)}
            </section>
        })}

        {d.estimate.map(|e| view! {
            <section class="card" aria-labelledby="estimate">
                <h2 id="estimate">{t(ClaimMsg::Estimate)}</h2>
                <p class="muted">{t(ClaimMsg::EstimateHelp)}</p>
                <p class="payout" id="estimate-amount">{t(ClaimMsg::AtMost)} " " <strong>{e.payout.to_string()}</strong></p>
                {e.reason.map(|r| view! { <p class="error">{claim_code_text(r.code())}</p> })}
                {steps_view(&e.explanation)}
            </section>
        })}

        <section class="card" aria-labelledby="documents">
            <h2 id="documents">{t(ClaimMsg::Documents)}</h2>
            {(!d.missing.is_empty()).then(|| view! {
                <p class="warn" id="missing">{t(ClaimMsg::StillMissing)} ": "
                    {d.missing.iter().map(|m| claim_code_text(m)).collect::<Vec<_>>().join(" · ")}</p>
            })}
            <ul class="thumbs" id="doc-list">
                {d.documents.iter().map(|doc| {
                    let href = format!("/documents/{}", doc.sha256);
                    let label = doc.evidence_code.as_deref().map(claim_code_text).unwrap_or_default();
                    let inner = if doc.content_type.starts_with("image/") && doc.content_type != "image/heic" {
                        view! { <img src=href.clone() alt=label.clone() loading="lazy"/> }.into_any()
                    } else {
                        view! { <span>{doc.content_type.clone()}</span> }.into_any()
                    };
                    view! { <li data-sha=doc.sha256.clone()><a href=href target="_blank">{inner}<span class="caption">{label}</span></a></li> }
                }).collect_view()}
            </ul>
            {(is_resident && pending_first).then(|| view! {
                <form class="stack upload" method="post" action=format!("/claims/{number}/documents") enctype="multipart/form-data"
                    data-claim=number.clone() data-max-mb=d.max_upload_mb.to_string()
                    data-text-uploading=t(ClaimMsg::Uploading) data-text-done=t(ClaimMsg::Uploaded)
                    data-text-skipped=t(ClaimMsg::AlreadyThere) data-text-retry=t(ClaimMsg::Retrying)
                    data-text-failed=t(ClaimMsg::UploadFailed) data-text-too-large=claim_error("document_too_large")>
                    <p class="muted">{with_n(t(ClaimMsg::PhotoHelp), d.max_upload_mb)}</p>
                    <label for="u_kind">{t(ClaimMsg::DocumentKind)}</label>
                    <select id="u_kind" name="kind">
                        {db::claims::DOCUMENT_KINDS.iter().map(|k| view! { <option value=*k>{claim_code_text(k)}</option> }).collect_view()}
                    </select>
                    <label for="u_files">{t(ClaimMsg::ChoosePhotos)}</label>
                    <input id="u_files" name="file" type="file" multiple accept="image/*,application/pdf"/>
                    <ul class="progress" aria-live="polite"></ul>
                    <button type="submit">{t(ClaimMsg::Upload)}</button>
                </form>
            })}
        </section>

        {(is_reviewer && pending_first).then(|| view! { <FirstReviewForm number=number.clone() billed=c.billed_fen grade=c.hospital_grade/> })}
        {(is_reviewer && pending_second).then(|| view! {
            <section class="card" aria-labelledby="second-review">
                <h2 id="second-review">{t(ClaimMsg::SecondReview)}</h2>
                {c.first_note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p>{t(ClaimMsg::FirstNote)} ": " {n}</p> })}
                {c.documents_false.then(|| view! { <p class="error">{t(ClaimMsg::DocumentsFalseProposed)}</p> })}
                <form class="stack" method="post" action=format!("/claims/{number}/second-review")>
                    <label for="s_note">{t(ClaimMsg::Note)}</label>
                    <input id="s_note" name="note" maxlength="200"/>
                    <p class="actions">
                        <button type="submit" name="confirm" value="1">{t(ClaimMsg::Confirm)}</button>
                        <button type="submit" name="confirm" value="0" class="secondary">{t(ClaimMsg::SendBack)}</button>
                    </p>
                </form>
            </section>
        })}
        {(d.actor.role == db::scope::Role::AgencyAdmin && c.status == "paid").then(|| view! {
            <section class="card" aria-labelledby="fraud">
                <h2 id="fraud">{t(ClaimMsg::FraudAfterPayment)}</h2>
                <form class="stack" method="post" action=format!("/claims/{number}/fraud")>
                    <label for="f_on">{t(ClaimMsg::FraudOn)}</label>
                    <input id="f_on" name="fraud_on" type="date" required/>
                    <label for="f_confirmed">{t(ClaimMsg::ConfirmedOn)}</label>
                    <input id="f_confirmed" name="confirmed_on" type="date" required/>
                    <label for="f_refunded">{t(ClaimMsg::RefundedOn)}</label>
                    <input id="f_refunded" name="refunded_on" type="date"/>
                    <label for="f_months">{t(ClaimMsg::SuspensionMonths)}</label>
                    <input id="f_months" name="months" inputmode="numeric" value="3"/>
                    <button type="submit">{t(ClaimMsg::RecordFraud)}</button>
                </form>
            </section>
        })}
        {(!d.suspensions.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="suspensions">
                <h2 id="suspensions">{t(ClaimMsg::Suspensions)}</h2>
                <ul class="links">
                    {d.suspensions.iter().map(|s| view! {
                        <li>{claim_code_text(&s.fraud_case)} " · " {s.from_on.clone()} " — "
                            {s.until_on.clone().unwrap_or_else(|| t(ClaimMsg::UntilRepaid).to_string())}
                            " · " {s.claim_number.clone()}
                            {s.interest_fen.map(|i| format!(" · {} {}", t(ClaimMsg::Interest), yuan(i)))}
                            {(s.fraud_case == "not_refunded" && s.repaid_on.is_none()).then(|| view! {
                                <form method="post" action=format!("/claims/suspensions/{}/repaid", s.id) class="inline">
                                    <input type="hidden" name="claim" value=number.clone()/>
                                    <input name="repaid_on" type="date" required aria-label=t(ClaimMsg::RepaidOn)/>
                                    <button type="submit" class="secondary">{t(ClaimMsg::RecordRepayment)}</button>
                                </form>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {is_resident.then(|| view! { <script src="/claims.js" defer></script> })}
        <p><a href=if is_resident { "/claims" } else { "/claims/review" } rel="external">{t(ClaimMsg::Back)}</a></p>
    }
}

#[component]
fn FirstReviewForm(number: String, billed: i64, grade: i64) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="first-review">
            <h2 id="first-review">{t(ClaimMsg::FirstReview)}</h2>
            <form class="stack" method="post" action=format!("/claims/{number}/first-review")>
                <label for="r_in_catalogue">{t(ClaimMsg::InCatalogue)}</label>
                <input id="r_in_catalogue" name="in_catalogue" required inputmode="decimal" value=yuan(billed)/>
                <label for="r_grade">{t(ClaimMsg::HospitalGrade)}</label>
                <select id="r_grade" name="hospital_grade">
                    {[3, 2, 1].into_iter().map(|g| view! { <option value=g.to_string() selected=g == grade>{with_n(t(ClaimMsg::GradeN), g)}</option> }).collect_view()}
                </select>
                <label for="r_cause">{t(ClaimMsg::Cause)}</label>
                <select id="r_cause" name="cause">
                    <option value="">{t(Msg::NoneOption)}</option>
                    {db::claims::CAUSES.iter().map(|c| view! { <option value=c.code()>{claim_code_text(c.code())}</option> }).collect_view()}
                </select>
                <label for="r_earlier">{t(ClaimMsg::EarlierAdmissions)}</label>
                <input id="r_earlier" name="earlier_admissions" inputmode="numeric" value="0"/>
                <label class="check"><input type="checkbox" name="minor_blood_disease" value="1"/> {t(ClaimMsg::MinorBlood)}</label>
                <label class="check"><input type="checkbox" name="documents_false" value="1"/> {t(ClaimMsg::DocumentsFalse)}</label>
                <label for="r_note">{t(ClaimMsg::Note)}</label>
                <input id="r_note" name="note" maxlength="200"/>
                <button type="submit">{t(ClaimMsg::SendToSecond)}</button>
            </form>
        </section>
    }
}

// ---------------------------------------------------------------------------
// The agency's review desk

struct ReviewDesk {
    first: (Vec<db::claims::QueueRow>, i64),
    second: (Vec<db::claims::QueueRow>, i64),
    approvals: Vec<db::claims::Approval>,
    after: (i64, i64),
    actor: db::Actor,
    interest_rate: Option<String>,
}

async fn review_desk(after: (i64, i64)) -> Result<ReviewDesk, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(ReviewDesk {
        first: db::claims::review_queue(&st.db, &actor, db::claims::Stage::First, after.0).await?,
        second: db::claims::review_queue(&st.db, &actor, db::claims::Stage::Second, after.1)
            .await?,
        approvals: db::claims::pending_approvals(&st.db, &actor).await?,
        interest_rate: db::claims::interest_rate(&st.db)
            .await?
            .map(|r| r.to_string()),
        after,
        actor,
    })
}

#[component]
pub fn ClaimReviewPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = |name: &str| {
        query
            .with(|q| q.get(name))
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0)
    };
    let after = (cursor("first_after"), cursor("second_after"));
    view! {
        <h1>{t(Msg::ClaimReviewNav)}</h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(review_desk(after).await, |d| view! { <ReviewBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

fn queue_table(id: &'static str, rows: Vec<db::claims::QueueRow>, me: i64) -> impl IntoView {
    view! {
        <table class="list" id=id>
            <thead><tr>
                <th>{t(ClaimMsg::Claim)}</th><th>{t(ClaimMsg::Member)}</th><th>{t(ClaimMsg::Kind)}</th>
                <th>{t(ClaimMsg::CareTo)}</th><th class="num">{t(ClaimMsg::Billed)}</th><th>{t(ClaimMsg::FiledAt)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let mine = r.first_reviewer == Some(me);
                    view! {
                        <tr data-claim=r.number.clone()>
                            <td><a href=format!("/claims/{}", r.number) rel="external">{r.number.clone()}</a>
                                {mine.then(|| view! { " " <span class="muted">{t(ClaimMsg::YouDidFirst)}</span> })}</td>
                            <td>{r.person_name.clone()}</td><td>{claim_code_text(&r.kind)}</td><td>{r.care_to.clone()}</td>
                            <td class="num">{yuan(r.billed_fen)}</td><td>{when(r.filed_at)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// First page and next page links of one queue, keeping the other queue's place.
fn pager(
    name: &'static str,
    after: i64,
    rows: &[db::claims::QueueRow],
    other: (&'static str, i64),
) -> impl IntoView {
    let full = i64::try_from(rows.len()).unwrap_or(0) >= db::claims::QUEUE_PAGE;
    let next = rows.last().map(|r| r.id).filter(|_| full);
    let (other_name, other_after) = other;
    let link = move |to: i64| format!("/claims/review?{name}={to}&{other_name}={other_after}");
    (after > 0 || next.is_some()).then(|| {
        view! {
            <p class="actions">
                {(after > 0).then(|| view! { <a class="button secondary" href=link(0) rel="external">{t(ClaimMsg::FirstPage)}</a> })}
                {next.map(|n| view! { <a class="button secondary" href=link(n) rel="external">{t(ClaimMsg::Next)}</a> })}
            </p>
        }
    })
}

#[component]
fn ReviewBody(d: ReviewDesk) -> impl IntoView {
    let me = d.actor.user_id;
    let (first_after, second_after) = d.after;
    let is_league_admin = d.actor.role == db::scope::Role::AgencyAdmin && d.actor.is_league();
    view! {
        <section class="card" aria-labelledby="q-first">
            <h2 id="q-first">{t(ClaimMsg::FirstReview)} " (" {d.first.1} ")"</h2>
            {pager("first_after", first_after, &d.first.0, ("second_after", second_after))}
            {queue_table("queue-first", d.first.0, me)}
        </section>
        <section class="card" aria-labelledby="q-second">
            <h2 id="q-second">{t(ClaimMsg::SecondReview)} " (" {d.second.1} ")"</h2>
            {pager("second_after", second_after, &d.second.0, ("first_after", first_after))}
            {queue_table("queue-second", d.second.0, me)}
        </section>
        <section class="card" aria-labelledby="q-approvals">
            <h2 id="q-approvals">{t(ClaimMsg::Approvals)} " (" {d.approvals.len()} ")"</h2>
            <ul class="links">
                {d.approvals.into_iter().map(|a| view! {
                    <li data-approval=a.id.to_string()>
                        {a.person_name.clone()} " · " {claim_code_text(&a.kind)}
                        {a.disease.as_deref().map(|x| format!(" ({})", claim_code_text(x)))}
                        " · " {a.hospital.clone()} " · " {a.care_on.clone()}
                        {a.emergency.then(|| format!(" · {}", t(ClaimMsg::DoneInEmergency)))}
                        {a.amount_fen.map(|f| format!(" · {}", yuan(f)))}
                        " · " {a.reason.clone()}
                        <form method="post" action=format!("/claims/approvals/{}/decide", a.id) class="inline">
                            <input name="note" maxlength="200" aria-label=t(ClaimMsg::Note) placeholder=t(ClaimMsg::Note)/>
                            <button type="submit" name="approve" value="1">{t(ClaimMsg::Approve)}</button>
                            <button type="submit" name="approve" value="0" class="secondary">{t(ClaimMsg::Refuse)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        {is_league_admin.then(|| view! {
            <section class="card" aria-labelledby="interest">
                <h2 id="interest">{t(ClaimMsg::InterestRate)}</h2>
                <p class="muted">{t(ClaimMsg::InterestHelp)}</p>
                <form class="inline" method="post" action="/claims/settings/interest-rate">
                    <input name="rate" inputmode="decimal" required value=d.interest_rate.clone().unwrap_or_default() aria-label=t(ClaimMsg::InterestRate)/>
                    <button type="submit">{t(ClaimMsg::Save)}</button>
                </form>
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------
// Payment runs

struct RunsDesk {
    waiting: Vec<db::payment_runs::Waiting>,
    runs: Vec<db::payment_runs::Run>,
}

async fn runs_desk() -> Result<RunsDesk, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(RunsDesk {
        waiting: db::payment_runs::waiting(&st.db, &actor).await?,
        runs: db::payment_runs::list(&st.db, &actor).await?,
    })
}

#[component]
pub fn RunsPage() -> impl IntoView {
    view! {
        <h1>{t(Msg::PaymentRunsNav)}</h1>
        <Outcome/>
        <p class="muted">{t(ClaimMsg::RunsHelp)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(runs_desk().await, |d| view! { <RunsBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn RunsBody(d: RunsDesk) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="waiting">
            <h2 id="waiting">{t(ClaimMsg::WaitingClaims)}</h2>
            {d.waiting.is_empty().then(|| view! { <p>{t(ClaimMsg::NothingWaiting)}</p> })}
            <ul class="links">
                {d.waiting.into_iter().map(|w| view! {
                    <li data-window=format!("{}:{}", w.kind, w.window_start)>
                        {claim_code_text(&format!("run_{}", w.kind))} " · " {w.window_start.clone()} " · "
                        {with_n(t(ClaimMsg::NClaims), w.claims)} " · " {yuan(w.total_fen)}
                        <form method="post" action="/runs/prepare" class="inline">
                            <input type="hidden" name="kind" value=w.kind.clone()/>
                            <input type="hidden" name="window_start" value=w.window_start.clone()/>
                            <button type="submit">{t(ClaimMsg::PrepareRun)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="runs">
            <h2 id="runs">{t(ClaimMsg::Runs)}</h2>
            <table class="list">
                <thead><tr><th>{t(ClaimMsg::Run)}</th><th>{t(ClaimMsg::Kind)}</th><th>{t(ClaimMsg::Window)}</th>
                    <th class="num">{t(ClaimMsg::Claims)}</th><th class="num">{t(ClaimMsg::Total)}</th><th>{t(Msg::Status)}</th></tr></thead>
                <tbody>
                    {d.runs.into_iter().map(|r| view! {
                        <tr data-run=r.number.clone()>
                            <td><a href=format!("/runs/{}", r.number) rel="external">{r.number.clone()}</a></td>
                            <td>{claim_code_text(&format!("run_{}", r.kind))}</td>
                            <td>{r.window_start.clone()} " — " {r.window_end.clone()}</td>
                            <td class="num">{r.claims}</td><td class="num">{yuan(r.total_fen)}</td>
                            <td>{t(if r.released_at.is_some() { ClaimMsg::Released } else { ClaimMsg::Prepared })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

struct RunPageData {
    run: db::payment_runs::Run,
    claims: Vec<db::claims::Claim>,
    previous: Option<db::payment_runs::Run>,
    me: i64,
}

async fn run_page(number: String) -> Result<RunPageData, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let run = db::payment_runs::get(&st.db, &actor, &number).await?;
    Ok(RunPageData {
        claims: db::payment_runs::claims_of(&st.db, run.id).await?,
        previous: db::payment_runs::previous(&st.db, &run).await?,
        me: actor.user_id,
        run,
    })
}

#[component]
pub fn RunPage() -> impl IntoView {
    let number = use_params_map()
        .with(|p| p.get("number"))
        .unwrap_or_default();
    view! {
        <h1>{t(ClaimMsg::Run)} " " <span class="mono">{number.clone()}</span></h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(run_page(number).await, |d| view! { <RunBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn RunBody(d: RunPageData) -> impl IntoView {
    let r = d.run;
    let change = d.previous.as_ref().map(|p| {
        let diff = r.total_fen - p.total_fen;
        let sign = if diff >= 0 { "+" } else { "−" };
        format!(
            "{} {} ({}): {} → {}, {sign}{} ({} → {})",
            t(ClaimMsg::AgainstLast),
            p.number,
            p.window_start,
            yuan(p.total_fen),
            yuan(r.total_fen),
            yuan(diff.abs()),
            p.claims,
            r.claims
        )
    });
    let released = r.released_at.is_some();
    let same_person = r.prepared_by == d.me;
    view! {
        <section class="card">
            <dl class="facts">
                <dt>{t(ClaimMsg::Kind)}</dt><dd>{claim_code_text(&format!("run_{}", r.kind))}</dd>
                <dt>{t(ClaimMsg::Window)}</dt><dd>{r.window_start.clone()} " — " {r.window_end.clone()}</dd>
                <dt>{t(ClaimMsg::Claims)}</dt><dd id="run-claims">{r.claims}</dd>
                <dt>{t(ClaimMsg::Total)}</dt><dd id="run-total">{yuan(r.total_fen)}</dd>
                <dt>{t(ClaimMsg::PreparedBy)}</dt><dd>{r.prepared_by_name.clone()} " · " {when(r.prepared_at)}</dd>
                {r.released_by_name.clone().map(|n| view! { <dt>{t(ClaimMsg::ReleasedBy)}</dt><dd id="released-by">{n} " · " {r.released_at.map(when)}</dd> })}
            </dl>
            <p>{change.unwrap_or_else(|| t(ClaimMsg::NoEarlierRun).to_string())}</p>
            {(!released).then(|| view! {
                <form method="post" action=format!("/runs/{}/release", r.number)>
                    {same_person.then(|| view! { <p class="muted">{t(ClaimMsg::SecondPersonReleases)}</p> })}
                    <button type="submit">{t(ClaimMsg::ReleaseRun)}</button>
                </form>
            })}
            {released.then(|| view! {
                <p><a class="button" href=format!("/runs/{}/bank.csv", r.number) rel="external" download>{t(ClaimMsg::BankFile)}</a></p>
            })}
        </section>
        <section class="card">
            <table class="list" id="run-lines">
                <thead><tr><th>{t(ClaimMsg::Claim)}</th><th>{t(ClaimMsg::Member)}</th><th>{t(ClaimMsg::Kind)}</th>
                    <th>{t(ClaimMsg::AccountName)}</th><th class="num">{t(ClaimMsg::Payout)}</th><th>{t(Msg::Status)}</th></tr></thead>
                <tbody>
                    {d.claims.into_iter().map(|c| view! {
                        <tr data-claim=c.number.clone()>
                            <td><a href=format!("/claims/{}", c.number) rel="external">{c.number.clone()}</a></td>
                            <td>{c.person_name.clone()}</td><td>{claim_code_text(&c.kind)}</td><td>{c.account_name.clone()}</td>
                            <td class="num">{yuan(c.payout_fen.unwrap_or(0))}</td><td>{claim_code_text(&c.status)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
