//! The resident's page (/claims): members, claims, emergency reports and approvals.

use super::*;

pub(super) struct MyClaims {
    pub(super) members: Vec<db::households::Person>,
    pub(super) claims: Vec<db::claims::Claim>,
    pub(super) reports: Vec<db::claims::EmergencyReport>,
    pub(super) approvals: Vec<db::claims::Approval>,
    pub(super) filing_days: u32,
    pub(super) today: chrono::NaiveDate,
}

pub(super) async fn my_claims() -> Result<MyClaims, AppError> {
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

/// The member select of `form`, the member posted before a refusal chosen.
pub(super) fn member_select(
    form: &'static str,
    id: &'static str,
    members: &[db::households::Person],
) -> impl IntoView {
    view! {
        <label for=id>{t(ClaimMsg::Member)}</label>
        <select id=id name="person_id" required aria-invalid=invalid(form, "person_id")>
            {members.iter().map(|m| {
                let value = m.id.to_string();
                view! { <option selected=chosen(form, "person_id", &value, false) value=value.clone()>{m.name.clone()}</option> }
            }).collect_view()}
        </select>
    }
}

/// The disease select of `form`, the disease posted before a refusal chosen.
pub(super) fn disease_select(
    form: &'static str,
    id: &'static str,
    required: bool,
) -> impl IntoView {
    view! {
        <label for=id>{t(ClaimMsg::Disease)}</label>
        <select id=id name="disease" required=required aria-invalid=invalid(form, "disease")>
            <option value="">{t(Msg::NoneOption)}</option>
            {policy::benefit::Disease::ALL.iter().map(|d| view! { <option value=d.code() selected=chosen(form, "disease", d.code(), false)>{claim_code_text(d.code())}</option> }).collect_view()}
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
    let deadline_help = t_year(ClaimMsg::EmergencyHelp);
    view! {
        <section class="card" aria-labelledby="my-claims">
            <h2 id="my-claims">{t(ClaimMsg::MyClaims)}</h2>
            {d.claims.is_empty().then(|| view! { <p>{t(ClaimMsg::NoClaims)}</p> })}
            <ul class="links claims">
                {d.claims.iter().map(|c| view! {
                    <li data-claim=c.number.clone()>
                        <a href=format!("/claims/{}", c.number) rel="external">{c.number.clone()}</a>
                        " · " {c.person_name.clone()} " · " {claim_code_text(c.kind.code())} " · "
                        <span class="status">{claim_code_text(c.status.code())}</span>
                        {c.payout_fen.filter(|_| c.status.pays()).map(|p| view! { " · " {yuan_unit(p)} })}
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
                {form_name("emergency")}
                {member_select("emergency", "e_person", &d.members)}
                <FieldError form="emergency" name="person_id"/>
                <label for="e_kind">{t(ClaimMsg::Kind)}</label>
                <select id="e_kind" name="kind">
                    {["nondesignated_emergency", "outpatient_emergency"].into_iter().map(|k| view! {
                        <option value=k selected=chosen("emergency", "kind", k, false)>{claim_code_text(k)}</option>
                    }).collect_view()}
                </select>
                <label for="e_on">{t(ClaimMsg::OccurredOn)}</label>
                <input id="e_on" name="occurred_on" type="date" required max=today.clone() value=kept("emergency", "occurred_on", &today) aria-describedby="e_days_left"
                    aria-invalid=invalid("emergency", "occurred_on")
                    data-today=today.clone() data-template=t(ClaimMsg::DaysLeftTemplate) data-late=t(ClaimMsg::ReportTooLate)/>
                <FieldError form="emergency" name="occurred_on"/>
                <p class="muted" id="e_days_left" aria-live="polite"></p>
                <label for="e_hospital">{t(ClaimMsg::Hospital)}</label>
                <input id="e_hospital" name="hospital" required maxlength="100" value=kept("emergency", "hospital", "") aria-invalid=invalid("emergency", "hospital")/>
                <FieldError form="emergency" name="hospital"/>
                <label for="e_note">{t(ClaimMsg::Note)}</label>
                <input id="e_note" name="note" maxlength="200" value=kept("emergency", "note", "")/>
                <button type="submit">{t(ClaimMsg::SendReport)}</button>
            </form>
            {(!d.reports.is_empty()).then(|| view! {
                <h3>{t(ClaimMsg::Reports)}</h3>
                <ul class="links">
                    {d.reports.iter().map(|r| view! {
                        <li>{r.occurred_on.to_string()} " · " {claim_code_text(&r.kind)} " · " {r.hospital.clone()} " · "
                            {with_n(t(ClaimMsg::ReportedAfter), r.days_after)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>

        <section class="card" aria-labelledby="approvals">
            <h2 id="approvals">{t(ClaimMsg::Approvals)}</h2>
            <p class="muted">{t_year(ClaimMsg::ApprovalsHelp)}</p>
            <ul class="links">
                {d.approvals.iter().map(|a| view! {
                    <li data-approval=a.id.to_string()>{a.person_name.clone()} " · " {claim_code_text(&a.kind)}
                        {a.disease.as_deref().map(|x| format!(" ({})", claim_code_text(x)))}
                        " · " {a.hospital.clone()} " · " {a.care_on.to_string()} " · " <span class="status">{claim_code_text(&format!("approval_status_{}", a.status.code()))}</span>
                        {a.decision_note.clone().filter(|n| !n.is_empty()).map(|n| format!(" — {n}"))}</li>
                }).collect_view()}
            </ul>
            <form class="stack" method="post" action="/claims/approval">
                {form_name("approval")}
                {member_select("approval", "a_person", &d.members)}
                <FieldError form="approval" name="person_id"/>
                <label for="a_kind">{t(ClaimMsg::ApprovalKind)}</label>
                <select id="a_kind" name="kind">
                    {["transfer", "special_disease", "special_item"].into_iter().map(|k| view! { <option value=k selected=chosen("approval", "kind", k, false)>{claim_code_text(k)}</option> }).collect_view()}
                </select>
                {disease_select("approval", "a_disease", false)}
                <FieldError form="approval" name="disease"/>
                <label for="a_hospital">{t(ClaimMsg::Hospital)}</label>
                <input id="a_hospital" name="hospital" required maxlength="100" value=kept("approval", "hospital", "") aria-invalid=invalid("approval", "hospital")/>
                <FieldError form="approval" name="hospital"/>
                <label for="a_care_on">{t(ClaimMsg::CareOn)}</label>
                <input id="a_care_on" name="care_on" type="date" required value=kept("approval", "care_on", &today) aria-invalid=invalid("approval", "care_on")/>
                <FieldError form="approval" name="care_on"/>
                <label for="a_amount">{t(ClaimMsg::ItemAmount)}</label>
                <input id="a_amount" name="amount" inputmode="decimal" value=kept("approval", "amount", "") aria-invalid=invalid("approval", "amount")/>
                <FieldError form="approval" name="amount"/>
                <label class="check"><input type="checkbox" name="emergency" value="1" checked=ticked("approval", "emergency", false)/> {t(ClaimMsg::DoneInEmergency)}</label>
                <label for="a_reason">{t(ClaimMsg::Reason)}</label>
                <input id="a_reason" name="reason" maxlength="200" value=kept("approval", "reason", "") aria-invalid=invalid("approval", "reason")/>
                <FieldError form="approval" name="reason"/>
                <button type="submit">{t(ClaimMsg::AskApproval)}</button>
            </form>
        </section>
        <script src="/claims.js" defer></script>
    }
}
