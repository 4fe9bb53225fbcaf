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
use leptos_router::{ParamSegment, StaticSegment};

use crate::i18n::{t, Msg};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::initial_lang();
    #[cfg(feature = "ssr")]
    let hydrate = use_context::<http::request::Parts>()
        .map(|p| !server_rendered_only(p.uri.path()))
        .unwrap_or(true);
    #[cfg(not(feature = "ssr"))]
    let hydrate = true;
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_lang()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
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

/// Pages rendered on the server only, with plain HTML forms and no
/// WebAssembly: the phone's pre-registration (photos post as a plain form),
/// the office's desk for it, the papers to print (forms, receipts,
/// declarations, the public check of a notice), claims with their
/// review and payment runs, and the agency's statistics. Links to them carry
/// `rel="external"` so the client router leaves them to the server.
pub fn server_rendered_only(path: &str) -> bool {
    path == "/register"
        || path == "/office/list"
        || path.starts_with("/prereg/")
        || path == "/claims"
        || path.starts_with("/claims/")
        || path == "/runs"
        || path.starts_with("/runs/")
        || path.starts_with("/receipt/")
        || path.starts_with("/declaration/")
        || path.starts_with("/verify/")
        || path == "/refunds"
        || path == "/stats"
        || (path.starts_with("/household/") && path.ends_with("/form"))
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
                {routes()}
            </components::Layout>
        </Router>
    }
}

/// The route table, with `$extra` routes added. Written once, used twice.
macro_rules! app_routes {
    ($($extra:tt)*) => {
        view! {
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=pages::home::HomePage/>
                <Route path=StaticSegment("login") view=pages::login::LoginPage/>
                <Route path=StaticSegment("check") view=pages::check::CheckPage/>
                <Route path=StaticSegment("enrol") view=pages::enrolment::EnrolPage/>
                <Route path=StaticSegment("review") view=pages::enrolment::ReviewPage/>
                <Route path=(StaticSegment("school"), StaticSegment("roster")) view=pages::roster::RosterPage/>
                <Route path=StaticSegment("payments") view=pages::contributions::PaymentsDeskPage/>
                <Route path=StaticSegment("cards") view=pages::cards::CardsPage/>
                <Route path=(StaticSegment("notice"), ParamSegment("number")) view=pages::contributions::NoticePage/>
                <Route path=(StaticSegment("pay"), StaticSegment("simulator"), ParamSegment("order")) view=pages::contributions::SimulatorPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("accounts")) view=pages::accounts::AccountsPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=pages::audit::AuditPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("policy")) view=pages::policy::PolicyPage/>
                $($extra)*
            </Routes>
        }
    };
}

/// On the server: every page, the server-rendered ones (`server_rendered_only`)
/// rendered whole before they are sent.
#[cfg(feature = "ssr")]
fn routes() -> impl IntoView {
    use leptos_router::SsrMode;
    app_routes! {
        <Route path=StaticSegment("register") view=pages::preregistration::RegisterPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("prereg"), ParamSegment("id")) view=pages::preregistration::PreRegistrationPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("household"), ParamSegment("id"), StaticSegment("form")) view=pages::forms::HouseholdFormPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("office"), StaticSegment("list")) view=pages::forms::OfficeListPage ssr=SsrMode::Async/>
        <Route path=StaticSegment("claims") view=pages::claims::ClaimsPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("claims"), StaticSegment("new")) view=pages::claims::NewClaimPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("claims"), StaticSegment("review")) view=pages::claims::ClaimReviewPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("claims"), ParamSegment("number")) view=pages::claims::ClaimPage ssr=SsrMode::Async/>
        <Route path=StaticSegment("runs") view=pages::claims::RunsPage ssr=SsrMode::Async/>
        <Route path=StaticSegment("refunds") view=pages::refunds::RefundsPage ssr=SsrMode::Async/>
        <Route path=StaticSegment("stats") view=pages::statistics::StatisticsPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("receipt"), ParamSegment("number")) view=pages::contributions::ReceiptPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("declaration"), ParamSegment("number")) view=pages::contributions::DeclarationPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("verify"), ParamSegment("number"), ParamSegment("code")) view=pages::contributions::VerifyPage ssr=SsrMode::Async/>
        <Route path=(StaticSegment("runs"), ParamSegment("number")) view=pages::claims::RunPage ssr=SsrMode::Async/>
    }
}

/// In the browser: only the pages that hydrate. The others are never
/// hydrated (their HTML has no scripts) and their links are `rel="external"`,
/// so the client router never needs them; leaving them out keeps their code
/// out of the WebAssembly.
#[cfg(not(feature = "ssr"))]
fn routes() -> impl IntoView {
    app_routes! {}
}
