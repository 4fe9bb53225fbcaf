//! Administrators create the accounts of the people who use the portal; each
//! account's own page (pages/account.rs) resets, disables and signs it out.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::{role_label, ErrorNote};
use crate::error::AppError;
use crate::i18n::{t, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_code: Option<String>,
    pub active: bool,
}

#[server(endpoint = "admin/accounts")]
pub async fn list_accounts() -> Result<Vec<AccountLine>, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(db::accounts::list(&st.db, &actor)
        .await?
        .into_iter()
        .map(|u| AccountLine {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role.code().into(),
            org_code: u.org_code,
            active: u.active,
        })
        .collect())
}

#[server(endpoint = "admin/accounts/create")]
pub async fn create_account(
    username: String,
    display_name: String,
    password: String,
    role: String,
    org_code: String,
    household_id: String,
) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let role = db::scope::Role::from_code(&role).ok_or(AppError::bad_input("role"))?;
    let org_code = Some(org_code.trim().to_string()).filter(|s| !s.is_empty());
    let household_id = match household_id.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::bad_input("household_required"))?,
        ),
    };
    db::accounts::create_user(
        &st.db,
        db::audit::By::User(&actor),
        db::accounts::NewUser {
            username,
            display_name,
            password,
            role,
            org_code,
            household_id,
        },
    )
    .await?;
    Ok(())
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let accounts = Resource::new(move || create.version().get(), |_| list_accounts());
    view! {
        <h1>{t(Msg::Accounts)}</h1>
        <section class="card" aria-labelledby="new-account">
            <h2 id="new-account">{t(Msg::CreateAccount)}</h2>
            <ActionForm action=create attr:class="stack">
                <label for="username">{t(Msg::Username)}</label>
                <input id="username" name="username" required autocapitalize="none"/>
                <label for="display_name">{t(Msg::DisplayName)}</label>
                <input id="display_name" name="display_name" required maxlength="64"/>
                <label for="password">{t(Msg::Password)}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128"/>
                <label for="role">{t(Msg::Role)}</label>
                <select id="role" name="role">
                    {["resident", "office_agent", "school_agent", "agency_reviewer", "agency_admin"]
                        .into_iter()
                        .map(|r| view! { <option value=r>{role_label(r)}</option> })
                        .collect_view()}
                </select>
                <label for="org_code">{t(Msg::OrgCode)}</label>
                <input id="org_code" name="org_code"/>
                <label for="household_id">{t(Msg::HouseholdId)}</label>
                <input id="household_id" name="household_id" inputmode="numeric"/>
                <button type="submit">{t(Msg::Create)}</button>
            </ActionForm>
            {move || create.value().get().map(|r| match r {
                Ok(()) => view! { <p class="ok" role="status">{t(Msg::AccountCreated)}</p> }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </section>
        <section class="card">
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(list) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">{t(Msg::Username)}</th>
                                    <th scope="col">{t(Msg::DisplayName)}</th>
                                    <th scope="col">{t(Msg::Role)}</th>
                                    <th scope="col">{t(Msg::OrgCode)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr class:inactive=!a.active>
                                            // Its page is rendered on the server only.
                                            <td class="mono"><a href=format!("/admin/accounts/{}", a.id) rel="external">{a.username}</a></td>
                                            <td>{a.display_name}</td>
                                            <td>{role_label(&a.role)}</td>
                                            <td>{a.org_code.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
