//! Filing a claim (/claims/new), one form per kind.

use super::*;

pub(super) async fn filing_form() -> Result<(Vec<db::households::Person>, String), AppError> {
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
pub(super) fn FilingForm(
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
    const F: &str = "claim";
    let k = |name: &str| kept(F, name, "");
    view! {
        <section class="card">
            <p class="muted">{t_year(help)}</p>
            <p class="muted">{t(ClaimMsg::DocumentsNeeded)} ": " {needed}</p>
            <form class="stack" method="post" action="/claims/file">
                <input type="hidden" name="kind" value=kind.code()/>
                <input type="hidden" name="request_key" value=kept(F, "request_key", &key)/>
                {member_select(F, "c_person", &members)}
                <FieldError form=F name="person_id"/>
                <label for="c_from">{t(if special { ClaimMsg::MonthFrom } else { ClaimMsg::CareFrom })}</label>
                <input id="c_from" name="care_from" type="date" required max=today.clone() value=k("care_from") aria-invalid=invalid(F, "care_from")/>
                <FieldError form=F name="care_from"/>
                <label for="c_to">{t(if special { ClaimMsg::MonthTo } else { ClaimMsg::CareTo })}</label>
                <input id="c_to" name="care_to" type="date" required max=today.clone() value=k("care_to") aria-invalid=invalid(F, "care_to")/>
                <FieldError form=F name="care_to"/>
                {special.then(|| disease_select(F, "c_disease", true))}
                <FieldError form=F name="disease"/>
                <label for="c_hospital">{t(ClaimMsg::Hospital)}</label>
                <input id="c_hospital" name="hospital" required maxlength="100" value=k("hospital") aria-invalid=invalid(F, "hospital")/>
                <FieldError form=F name="hospital"/>
                <label for="c_grade">{t(ClaimMsg::HospitalGrade)}</label>
                <select id="c_grade" name="hospital_grade" aria-invalid=invalid(F, "hospital_grade")>
                    <option value="3" selected=chosen(F, "hospital_grade", "3", true)>{t(ClaimMsg::Grade3)}</option>
                    <option value="2" selected=chosen(F, "hospital_grade", "2", false)>{t(ClaimMsg::Grade2)}</option>
                    <option value="1" selected=chosen(F, "hospital_grade", "1", false)>{t(ClaimMsg::Grade1)}</option>
                </select>
                <FieldError form=F name="hospital_grade"/>
                <label for="c_billed">{t(ClaimMsg::Billed)}</label>
                <input id="c_billed" name="billed" required inputmode="decimal" value=k("billed") aria-invalid=invalid(F, "billed")/>
                <FieldError form=F name="billed"/>
                <fieldset>
                    <legend>{t(ClaimMsg::FilingAgent)}</legend>
                    <label for="c_agent_name">{t(Msg::Name)}</label>
                    <input id="c_agent_name" name="agent_name" required maxlength="50" value=k("agent_name") aria-invalid=invalid(F, "agent_name")/>
                    <FieldError form=F name="agent_name"/>
                    <label for="c_agent_id">{t(Msg::IdNumber)}</label>
                    <input id="c_agent_id" name="agent_id_number" required maxlength="30" autocomplete="off" autocapitalize="characters"
                        value=k("agent_id_number") aria-invalid=invalid(F, "agent_id_number")/>
                    <FieldError form=F name="agent_id_number"/>
                    <label for="c_agent_relation">{t(ClaimMsg::Relation)}</label>
                    <select id="c_agent_relation" name="agent_relation" aria-invalid=invalid(F, "agent_relation")>
                        {db::claims::RELATIONS.iter().map(|r| view! { <option value=*r selected=chosen(F, "agent_relation", r, false)>{claim_code_text(&format!("relation_{r}"))}</option> }).collect_view()}
                    </select>
                    <FieldError form=F name="agent_relation"/>
                </fieldset>
                <fieldset>
                    <legend>{t(ClaimMsg::PayTo)}</legend>
                    <label for="c_account">{t(ClaimMsg::BankAccount)}</label>
                    <input id="c_account" name="bank_account" required inputmode="numeric" maxlength="30" value=k("bank_account") aria-invalid=invalid(F, "bank_account")/>
                    <FieldError form=F name="bank_account"/>
                    <label for="c_account_name">{t(ClaimMsg::AccountName)}</label>
                    <input id="c_account_name" name="account_name" required maxlength="50" value=k("account_name") aria-invalid=invalid(F, "account_name")/>
                    <FieldError form=F name="account_name"/>
                </fieldset>
                <button type="submit">{t(ClaimMsg::FileAndUpload)}</button>
            </form>
        </section>
    }
}
