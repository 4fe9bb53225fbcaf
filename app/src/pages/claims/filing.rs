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
    view! {
        <section class="card">
            <p class="muted">{t_year(help)}</p>
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
                    <input id="c_agent_id" name="agent_id_number" required maxlength="30" autocomplete="off" autocapitalize="characters"/>
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
