use leptos::prelude::*;

use crate::auth::{hard_navigate, Login};
use crate::components::ErrorNote;
use crate::i18n::{t, Msg};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(path)) = login.value().get() {
            hard_navigate(&path);
        }
    });
    #[cfg(feature = "ssr")]
    let typed = crate::auth::typed_name();
    #[cfg(not(feature = "ssr"))]
    let typed = String::new();
    view! {
        <section class="card narrow">
            <h1>{t(Msg::LoginTitle)}</h1>
            <ActionForm action=login attr:class="stack">
                <label for="username">{t(Msg::Username)}</label>
                <input id="username" name="username" autocomplete="username" required autocapitalize="none" value=typed/>
                <label for="password">{t(Msg::Password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <button type="submit" disabled=move || login.pending().get()>{t(Msg::Login)}</button>
            </ActionForm>
            {move || login.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
            <p class="links">
                <a href="/signup" rel="external">{t(Msg::SignupLink)}</a> " · "
                <a href="/signup/phone" rel="external">{t(Msg::SignupPhoneNav)}</a> " · "
                <a href="/account/reset" rel="external">{t(Msg::ForgotPasswordNav)}</a>
            </p>
        </section>
    }
}
