//! The portal's pages, components and server functions.
//!
//! Pages are server-rendered and hydrate into an interactive app. Server
//! functions stay thin: find who is asking, call a service of the `db` crate
//! (which asks the `policy` crate for every decision), map the result.

pub mod auth;
pub mod components;
pub mod csp;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod kept;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::Router;

use crate::i18n::{t, Msg};
use crate::routes::routes;
pub use crate::routes::server_rendered_only;

/// Set by the browser once the page has hydrated: client navigations from
/// then on, unlike the first render, may reach pages only the server has.
pub static HYDRATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    csp::apply();
    let lang = i18n::initial_lang();
    #[cfg(feature = "ssr")]
    let hydrate = use_context::<http::request::Parts>()
        .map(|p| !server_rendered_only(p.uri.path()))
        .unwrap_or(true);
    #[cfg(not(feature = "ssr"))]
    let hydrate = true;
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_lang() class=i18n::elder_mode().then_some("elder")>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // Here, not in <App>: its name carries the build's hash
                // (hash-files), which only the server's options know.
                <HashedStylesheet options=options.clone() id="leptos"/>
                {hydrate.then(|| view! {
                    <script type="application/json" id=i18n::BROWSER_TABLE_ID inner_html=browser_texts(lang)></script>
                    <HydrationScripts options/>
                })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page language's texts for the WebAssembly, which carries none.
#[cfg(feature = "ssr")]
fn browser_texts(lang: i18n::Lang) -> &'static str {
    i18n::browser_json(lang)
}
#[cfg(not(feature = "ssr"))]
fn browser_texts(_: i18n::Lang) -> &'static str {
    ""
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_lang();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content=t(Msg::AppTitle)/>
        <Title text=t(Msg::AppTitle)/>
        <Router>
            <components::Layout>
                {routes()}
            </components::Layout>
        </Router>
    }
}
