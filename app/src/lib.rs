//! The portal's pages, components and server functions.
//!
//! Pages are server-rendered and hydrate into an interactive app. Server
//! functions stay thin: find who is asking, call a service of the `db` crate
//! (which asks the `policy` crate for every decision), map the result.

pub mod auth;
pub mod components;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::StaticSegment;

use crate::i18n::{t, Msg};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::initial_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_lang()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_lang();
    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content=t(Msg::AppTitle)/>
        <Title text=t(Msg::AppTitle)/>
        <Router>
            <components::Layout>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=StaticSegment("") view=pages::home::HomePage/>
                    <Route path=StaticSegment("login") view=pages::login::LoginPage/>
                    <Route path=StaticSegment("check") view=pages::check::CheckPage/>
                    <Route path=StaticSegment("enrol") view=pages::enrolment::EnrolPage/>
                    <Route path=StaticSegment("review") view=pages::enrolment::ReviewPage/>
                    <Route path=(StaticSegment("school"), StaticSegment("roster")) view=pages::roster::RosterPage/>
                    <Route path=(StaticSegment("admin"), StaticSegment("accounts")) view=pages::accounts::AccountsPage/>
                    <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=pages::audit::AuditPage/>
                    <Route path=(StaticSegment("admin"), StaticSegment("policy")) view=pages::policy::PolicyPage/>
                </Routes>
            </components::Layout>
        </Router>
    }
}
