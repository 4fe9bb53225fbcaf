use leptos::prelude::*;

use crate::i18n::{t, Msg};

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    // A page the browser's router does not hold (rendered on the server
    // only, see routes.rs) reached from a hydrated page by a link or the
    // back button: the server has it, so load it from there. Not while
    // hydrating: then the server itself answered "not found".
    #[cfg(feature = "hydrate")]
    if crate::HYDRATED.load(std::sync::atomic::Ordering::Relaxed) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }
    view! {
        <section class="card">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundBody)}</p>
            <a class="button" href="/">{t(Msg::BackHome)}</a>
        </section>
    }
}
