//! Account life cycle, server-rendered with plain forms posting to
//! server/src/accounts.rs: anyone signed in changes their own password
//! (`/account/password`, where a reset password sends them first), and an
//! administrator manages one account of their county
//! (`/admin/accounts/{id}`): a temporary password, disable or enable, sign
//! out everywhere. Each post answers with a redirect back here, the outcome
//! in the URL (`?ok=<code>`, `?error=<code>`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{loaded, role_label};
use crate::error::AppError;
use crate::i18n::{claim_error, t, AccountMsg, Msg};

/// The outcome of the page's last post, as its query carries it.
fn outcome(ok_text: impl Fn(&str) -> Option<AccountMsg>) -> impl IntoView {
    let (error, ok) = use_query_map().with(|q| (q.get("error"), q.get("ok")));
    view! {
        {error.map(|code| view! { <p class="error" role="alert">{claim_error(&code)}</p> })}
        {ok.and_then(|code| ok_text(&code)).map(|m| view! { <p class="ok" role="status">{t(m)}</p> })}
    }
}

/// A password field: at most as long as the service takes.
fn password_field(
    id: &'static str,
    label: AccountMsg,
    autocomplete: &'static str,
) -> impl IntoView {
    let max = db::accounts::MAX_PASSWORD_LEN.to_string();
    view! {
        <label for=id>{t(label)}</label>
        <input id=id name=id type="password" autocomplete=autocomplete required maxlength=max/>
    }
}

/// Whether the one asking must change their password first.
async fn must_change() -> Result<bool, AppError> {
    crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let token = crate::ssr::cookie(crate::ssr::SESSION_COOKIE).unwrap_or_default();
    Ok(db::sessions::must_change_password(&st.db, &token).await?)
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    view! {
        <h1>{t(AccountMsg::PasswordTitle)}</h1>
        {outcome(|code| (code == "changed").then_some(AccountMsg::PasswordChanged))}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(must_change().await, |must| view! {
                    {must.then(|| view! { <p class="error" role="alert">{t(AccountMsg::MustChange)}</p> })}
                    <section class="card narrow">
                        <p class="muted">{t(AccountMsg::PasswordHelp)}</p>
                        <form method="post" action="/account/password" class="stack">
                            {password_field("current", AccountMsg::CurrentPassword, "current-password")}
                            {password_field("new", AccountMsg::NewPassword, "new-password")}
                            {password_field("repeat", AccountMsg::RepeatPassword, "new-password")}
                            <button type="submit">{t(AccountMsg::ChangePassword)}</button>
                        </form>
                    </section>
                }.into_any())
            })}
        </Suspense>
    }
}

async fn account(id: Option<String>) -> Result<db::accounts::UserSummary, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let id = id
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(AppError::NotFound)?;
    Ok(db::accounts::manageable(&st.db, &actor, id).await?)
}

/// A form of one button (and perhaps fields) posting to the account's `op`.
fn action(
    id: i64,
    op: &str,
    help: AccountMsg,
    button: AccountMsg,
    fields: AnyView,
) -> impl IntoView {
    view! {
        <section class="card">
            <p class="muted">{t(help)}</p>
            <form method="post" action=format!("/admin/accounts/{id}/{op}") class="stack">
                {fields}
                <button type="submit">{t(button)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let id = use_params_map().with(|p| p.get("id"));
    view! {
        <h1>{t(AccountMsg::Title)}</h1>
        {outcome(|code| match code {
            "reset" => Some(AccountMsg::ResetDone),
            "disabled" => Some(AccountMsg::DisabledDone),
            "enabled" => Some(AccountMsg::EnabledDone),
            "sessions_ended" => Some(AccountMsg::SessionsEnded),
            _ => None,
        })}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(account(id).await, |u| {
                    let (toggle, toggle_help) = if u.active {
                        ("disable", AccountMsg::Disable)
                    } else {
                        ("enable", AccountMsg::Enable)
                    };
                    view! {
                        <section class="card">
                            <dl class="facts">
                                <dt>{t(Msg::Username)}</dt><dd class="mono">{u.username.clone()}</dd>
                                <dt>{t(Msg::DisplayName)}</dt><dd>{u.display_name.clone()}</dd>
                                <dt>{t(Msg::Role)}</dt><dd>{role_label(u.role.code())}</dd>
                                <dt>{t(Msg::OrgCode)}</dt><dd>{u.org_code.clone().unwrap_or_default()}</dd>
                                <dt>{t(AccountMsg::Status)}</dt>
                                <dd>
                                    {t(if u.active { AccountMsg::Enabled } else { AccountMsg::Disabled })}
                                    {u.must_change_password.then(|| view! { " · " {t(AccountMsg::MustChangeMark)} })}
                                </dd>
                            </dl>
                        </section>
                        <h2>{t(AccountMsg::ResetTitle)}</h2>
                        {action(u.id, "reset", AccountMsg::ResetHelp, AccountMsg::Reset,
                            password_field("temporary", AccountMsg::TemporaryPassword, "new-password").into_any())}
                        {action(u.id, toggle, AccountMsg::DisableHelp, toggle_help, ().into_any())}
                        {action(u.id, "end-sessions", AccountMsg::SessionsHelp, AccountMsg::EndSessions, ().into_any())}
                        <p><a class="button secondary" href="/admin/accounts">{t(AccountMsg::Back)}</a></p>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}
