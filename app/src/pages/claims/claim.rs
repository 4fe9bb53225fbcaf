//! One claim (/claims/{number}): timeline, documents, estimate and the review forms.

use super::*;

pub(super) struct ClaimPageData {
    pub(super) claim: db::claims::Claim,
    pub(super) events: Vec<db::claims::Event>,
    pub(super) documents: Vec<db::documents::Document>,
    pub(super) progress: db::claims::Progress,
    pub(super) estimate: Option<policy::benefit::BenefitDecision>,
    pub(super) actor: db::Actor,
    pub(super) max_upload_mb: usize,
    pub(super) suspensions: Vec<db::claims::SuspensionRow>,
}

pub(super) async fn claim_page(number: String) -> Result<ClaimPageData, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let claim = db::claims::get(&st.db, &actor, &number).await?;
    let estimate = if claim.status.undecided() {
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
        progress: db::claims::progress(&claim, &documents),
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

pub(super) fn step_text(step: &str) -> &'static str {
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
    let p = d.progress;
    let explanation = c.explanation();
    view! {
        <section class="card" aria-labelledby="claim-status">
            <h2 id="claim-status">{t(Msg::Status)} ": " <span class="status" data-status=c.status.code()>{claim_code_text(c.status.code())}</span></h2>
            <ol class="timeline">
                {d.events.iter().map(|e| view! {
                    <li class="done" data-step=e.step.clone()>
                        <strong>{step_text(&e.step)}</strong> " " {when(e.at_ms)}
                        {e.by_name.clone().map(|n| format!(" · {n}"))}
                        {e.note.clone().map(|n| view! { <div class="muted">{n}</div> })}
                    </li>
                }).collect_view()}
                {p.to_come.iter().map(|s| view! {
                    <li class="todo" data-step=s.code()>{t(match s {
                        db::claims::Step::FirstReview => ClaimMsg::StepFirstReview,
                        db::claims::Step::SecondReview => ClaimMsg::StepSecondReview,
                        db::claims::Step::Paid => ClaimMsg::StepPaid,
                    })} " " <span class="muted">{t(ClaimMsg::ToCome)}</span></li>
                }).collect_view()}
            </ol>
            {p.paid_in_run.clone().map(|run| view! {
                <p class="ok" role="status">{with_n(t(ClaimMsg::PaidInRun), &run)} " " {c.run_window_start.map(|d| d.to_string())}</p>
            })}
            {p.waits_for_run.then(|| view! {
                <p class="ok">{t(ClaimMsg::WaitingForRun)} " " {c.run_window_start.map(|d| d.to_string())}</p>
            })}
            <dl class="facts">
                <dt>{t(ClaimMsg::Member)}</dt><dd>{c.person_name.clone()}</dd>
                <dt>{t(ClaimMsg::Kind)}</dt><dd>{claim_code_text(c.kind.code())}
                    {c.disease.as_deref().map(|x| format!(" ({})", claim_code_text(x)))}</dd>
                <dt>{t(ClaimMsg::CareFrom)}</dt><dd>{c.care_from.to_string()} " — " {c.care_to.to_string()}</dd>
                <dt>{t(ClaimMsg::Hospital)}</dt><dd>{c.hospital.clone()} " (" {grade_name(c.hospital_grade)} ")"</dd>
                <dt>{t(ClaimMsg::Billed)}</dt><dd>{yuan_unit(c.billed_fen)}</dd>
                {c.in_catalogue_fen.map(|f| view! { <dt>{t(ClaimMsg::InCatalogue)}</dt><dd>{yuan_unit(f)}</dd> })}
                <dt>{t(ClaimMsg::FilingAgent)}</dt><dd>{c.agent_name.clone()} " · " {claim_code_text(&format!("relation_{}", c.agent_relation))}
                    " · " <span class="mono">{db::households::masked_id(&c.agent_id_number)}</span></dd>
                {c.first_reviewer_name.clone().map(|n| view! { <dt>{t(ClaimMsg::FirstReviewer)}</dt><dd>{n}</dd> })}
                {c.second_reviewer_name.clone().map(|n| view! { <dt>{t(ClaimMsg::SecondReviewer)}</dt><dd>{n}</dd> })}
            </dl>
        </section>

        {p.decided.then(|| view! {
            <section class="card" aria-labelledby="decision">
                <h2 id="decision">{t(ClaimMsg::Decision)}</h2>
                <p class="payout">{t(ClaimMsg::Payout)} ": " <strong>{yuan_unit(c.payout_fen.unwrap_or(0))}</strong></p>
                {c.reason.clone().map(|r| view! { <p class="error">{t(ClaimMsg::ReasonLabel)} ": " {claim_code_text(&r)}</p> })}
                {steps_view(&explanation)}
            </section>
        })}

        {d.estimate.map(|e| view! {
            <section class="card" aria-labelledby="estimate">
                <h2 id="estimate">{t(ClaimMsg::Estimate)}</h2>
                <p class="muted">{t(ClaimMsg::EstimateHelp)}</p>
                <p class="payout">{t(ClaimMsg::AtMost)} " " <strong>{crate::i18n::yuan_text(&e.payout.to_string())}</strong></p>
                {e.reason.map(|r| view! { <p class="error">{claim_code_text(r.code())}</p> })}
                {steps_view(&e.explanation)}
            </section>
        })}

        <section class="card" aria-labelledby="documents">
            <h2 id="documents">{t(ClaimMsg::Documents)}</h2>
            {p.waits_for_documents.then(|| view! {
                <div class="notice-what" data-testid="missing-documents">
                    <p class="warn">{t(ClaimMsg::StillMissing)} ": "
                        {p.missing.iter().map(|m| claim_code_text(m)).collect::<Vec<_>>().join("、")}</p>
                    <p>{t(if is_resident { ClaimMsg::ReviewWaitsForYou } else { ClaimMsg::ReviewWaitsForDocuments })}</p>
                </div>
            })}
            {(is_resident && p.uploads_open).then(|| view! { <p class="muted">{t(ClaimMsg::ChangeUntilReview)}</p> })}
            {crate::kept::posted("upload").map(|_| view! { <p class="warn" data-testid="choose-again">{t(ClaimMsg::ChooseFilesAgain)}</p> })}
            <ul class="thumbs" aria-labelledby="documents">
                {d.documents.iter().map(|doc| {
                    let href = format!("/documents/{}", doc.sha256);
                    let code = doc.evidence_code.clone().unwrap_or_default();
                    let label = doc.evidence_code.as_deref().map(claim_code_text).unwrap_or_default();
                    let inner = if doc.content_type.starts_with("image/") && doc.content_type != "image/heic" {
                        view! { <img src=href.clone() alt=label.clone() loading="lazy"/> }.into_any()
                    } else {
                        view! { <span>{doc.content_type.clone()}</span> }.into_any()
                    };
                    let change = (is_resident && p.uploads_open).then(|| {
                        let base = format!("/claims/{number}/documents/{}", doc.id);
                        let select_id = format!("k_{}", doc.id);
                        view! {
                            <form class="doc-change" method="post" action=format!("{base}/kind")>
                                <label class="visually-hidden" for=select_id.clone()>{t(ClaimMsg::DocumentKind)}</label>
                                <select id=select_id name="kind">
                                    {db::claims::DOCUMENT_KINDS.iter().map(|k| view! { <option value=*k selected=*k == code>{claim_code_text(k)}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="secondary">{t(ClaimMsg::Relabel)}</button>
                            </form>
                            <form class="doc-change" method="post" action=format!("{base}/remove")>
                                <button type="submit" class="secondary">{t(ClaimMsg::Remove)}</button>
                            </form>
                        }
                    });
                    view! {
                        <li data-sha=doc.sha256.clone() data-kind=code.clone() data-document=doc.id.to_string()>
                            <a href=href target="_blank">{inner}<span class="caption">{label}</span></a>
                            {change}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(is_resident && p.uploads_open).then(|| {
                let form = |kind: Option<&'static str>| {
                    let id = format!("u_files_{}", kind.unwrap_or("other"));
                    view! {
                        <form class="stack upload" method="post" action=format!("/claims/{number}/documents") enctype="multipart/form-data"
                            data-claim=number.clone() data-max-mb=d.max_upload_mb.to_string() data-upload-kind=kind.unwrap_or("")
                            data-text-uploading=t(ClaimMsg::Uploading) data-text-done=t(ClaimMsg::Uploaded)
                            data-text-skipped=t(ClaimMsg::AlreadyThere) data-text-retry=t(ClaimMsg::Retrying)
                            data-text-failed=t(ClaimMsg::UploadFailed) data-text-too-large=claim_error("document_too_large")>
                            {form_name("upload")}
                            {match kind {
                                Some(k) => view! {
                                    <input type="hidden" name="kind" value=k/>
                                    <label for=id.clone()>{with_n(t(ClaimMsg::PhotosOfKind), claim_code_text(k))}</label>
                                    <input id=id.clone() name="file" type="file" multiple accept="image/*,application/pdf"/>
                                }.into_any(),
                                // Any other kind: one photo, its kind chosen for it.
                                None => view! {
                                    <label for="u_kind">{t(ClaimMsg::DocumentKind)}</label>
                                    <select id="u_kind" name="kind">
                                        {db::claims::DOCUMENT_KINDS.iter().map(|k| view! { <option value=*k selected=chosen("upload", "kind", k, false)>{claim_code_text(k)}</option> }).collect_view()}
                                    </select>
                                    <label for=id.clone()>{t(ClaimMsg::OnePhoto)}</label>
                                    <input id=id.clone() name="file" type="file" accept="image/*,application/pdf"/>
                                }.into_any(),
                            }}
                            <ul class="progress" aria-live="polite"></ul>
                            <button type="submit">{t(ClaimMsg::Upload)}</button>
                        </form>
                    }
                };
                view! {
                    <p class="muted">{with_n(t(ClaimMsg::PhotoHelp), d.max_upload_mb)}</p>
                    {p.missing.iter().map(|k| form(Some(*k))).collect_view()}
                    <details class="why" open=p.missing.is_empty()>
                        <summary>{t(ClaimMsg::OtherDocument)}</summary>
                        {form(None)}
                    </details>
                }
            })}
        </section>

        {(is_reviewer && p.first_review_open).then(|| view! { <FirstReviewForm number=number.clone() billed=c.billed_fen grade=c.hospital_grade/> })}
        {(is_reviewer && p.second_review_open).then(|| view! {
            <section class="card" aria-labelledby="second-review">
                <h2 id="second-review">{t(ClaimMsg::SecondReview)}</h2>
                {c.first_note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p>{t(ClaimMsg::FirstNote)} ": " {n}</p> })}
                {c.documents_false.then(|| view! { <p class="error">{t_year(ClaimMsg::DocumentsFalseProposed)}</p> })}
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
        {(d.actor.role == db::scope::Role::AgencyAdmin && c.status == db::claims::ClaimStatus::Paid).then(|| view! {
            <section class="card" aria-labelledby="fraud">
                <h2 id="fraud">{t(ClaimMsg::FraudAfterPayment)}</h2>
                <form class="stack" method="post" action=format!("/claims/{number}/fraud")>
                    <label for="f_on">{t(ClaimMsg::FraudOn)}</label>
                    <input id="f_on" name="fraud_on" type="date" required/>
                    <label for="f_confirmed">{t(ClaimMsg::ConfirmedOn)}</label>
                    <input id="f_confirmed" name="confirmed_on" type="date" required/>
                    <label for="f_refunded">{t(ClaimMsg::RefundedOn)}</label>
                    <input id="f_refunded" name="refunded_on" type="date"/>
                    <label for="f_months">{t_year(ClaimMsg::SuspensionMonths)}</label>
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
                        <li>{claim_code_text(&s.fraud_case)} " · " {s.from_on.to_string()} " — "
                            {s.until_on.map_or_else(|| t(ClaimMsg::UntilRepaid).to_string(), |d| d.to_string())}
                            " · " {s.claim_number.clone()}
                            {s.interest_fen.map(|i| format!(" · {} {}", t(ClaimMsg::Interest), yuan_unit(i)))}
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
pub(super) fn FirstReviewForm(number: String, billed: i64, grade: i64) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="first-review">
            <h2 id="first-review">{t(ClaimMsg::FirstReview)}</h2>
            <form class="stack" method="post" action=format!("/claims/{number}/first-review")>
                <label for="r_in_catalogue">{t(ClaimMsg::InCatalogue)}</label>
                <input id="r_in_catalogue" name="in_catalogue" required inputmode="decimal" value=yuan(billed)/>
                <label for="r_grade">{t(ClaimMsg::HospitalGrade)}</label>
                <select id="r_grade" name="hospital_grade">
                    {[3, 2, 1].into_iter().map(|g| view! { <option value=g.to_string() selected=g == grade>{grade_name(g)}</option> }).collect_view()}
                </select>
                <label for="r_cause">{t(ClaimMsg::Cause)}</label>
                <select id="r_cause" name="cause">
                    <option value="">{t(Msg::NoneOption)}</option>
                    {policy::benefit::Cause::ALL.iter().map(|c| view! { <option value=c.code()>{claim_code_text(c.code())}</option> }).collect_view()}
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
