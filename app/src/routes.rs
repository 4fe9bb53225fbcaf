//! Every page of the portal in one table: its path, its component, and
//! whether it hydrates or is rendered on the server only. The `<Routes>` of
//! the server and of the browser, [`PAGES`] and [`server_rendered_only`] are
//! all made from it, so they cannot disagree; the server's router takes its
//! page routes from the `<Routes>` (`generate_route_list`).

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};

use crate::pages;

/// A page: its path as axum writes it (`/claims/{number}`), and whether it is
/// rendered on the server only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub path: &'static str,
    pub server_rendered_only: bool,
}

/// One segment of a path as the router wants it: `"claims"` or `{number}`.
macro_rules! segment {
    ({ $param:ident }) => {
        leptos_router::ParamSegment(stringify!($param))
    };
    ($text:literal) => {
        leptos_router::StaticSegment($text)
    };
}

/// The same segment as text, as axum writes it.
macro_rules! segment_text {
    ({ $param:ident }) => {
        concat!("/{", stringify!($param), "}")
    };
    ($text:literal) => {
        concat!("/", $text)
    };
}

/// The table: `[segments] => module::Component`, the pages that hydrate
/// first, then those rendered on the server only.
macro_rules! pages {
    (
        hydrating: $( [$($h:tt)+] => $hmod:ident::$hview:ident, )*
        server_rendered_only: $( [$($s:tt)+] => $smod:ident::$sview:ident, )*
    ) => {
        /// Every page, in the order of the `<Routes>`.
        pub const PAGES: &[Page] = &[
            $( Page { path: concat!($(segment_text!($h)),+), server_rendered_only: false }, )*
            $( Page { path: concat!($(segment_text!($s)),+), server_rendered_only: true }, )*
        ];

        /// On the server: every page rendered whole before it is sent
        /// (`SsrMode::Async`), so its data is in the first HTML: a phone
        /// without the WebAssembly yet (or without JavaScript) sees the
        /// content, not the "正在加载…" of a streamed `<Suspense>`, whose
        /// resolved half only a script can swap in.
        #[cfg(feature = "ssr")]
        pub(crate) fn routes() -> impl IntoView {
            use leptos_router::SsrMode;
            view! {
                <Routes fallback=pages::not_found::NotFound>
                    $( <Route path=($(segment!($h),)+) view=pages::$hmod::$hview ssr=SsrMode::Async/> )*
                    $( <Route path=($(segment!($s),)+) view=pages::$smod::$sview ssr=SsrMode::Async/> )*
                </Routes>
            }
        }

        /// In the browser: only the pages that hydrate. The others are never
        /// hydrated (their HTML has no scripts) and their links are
        /// `rel="external"`, so the client router never needs them; leaving
        /// them out keeps their code out of the WebAssembly.
        #[cfg(not(feature = "ssr"))]
        pub(crate) fn routes() -> impl IntoView {
            view! {
                <Routes fallback=pages::not_found::NotFound>
                    $( <Route path=($(segment!($h),)+) view=pages::$hmod::$hview/> )*
                </Routes>
            }
        }
    };
}

pages! {
    hydrating:
    ["enrol"] => enrolment::EnrolPage,
    ["review"] => enrolment::ReviewPage,
    ["school" "roster"] => roster::RosterPage,
    ["payments"] => contributions::PaymentsDeskPage,
    ["cards"] => cards::CardsPage,
    ["admin" "accounts"] => accounts::AccountsPage,
    ["admin" "audit"] => audit::AuditPage,
    ["admin" "policy"] => policy::PolicyPage,
    server_rendered_only:
    // The resident's pages: on a phone on a slow network they come whole
    // from the server and every action on them is a form that posts, so
    // they need no WebAssembly at all (#15: the first page's budget).
    [""] => home::HomePage,
    ["login"] => login::LoginPage,
    ["check"] => check::CheckPage,
    ["notice" {number}] => contributions::NoticePage,
    ["pay" "simulator" {order}] => contributions::SimulatorPage,
    ["register"] => preregistration::RegisterPage,
    ["prereg" {id}] => preregistration::PreRegistrationPage,
    ["household" {id} "form"] => forms::HouseholdFormPage,
    ["office" "list"] => forms::OfficeListPage,
    ["claims"] => claims::ClaimsPage,
    ["claims" "new"] => claims::NewClaimPage,
    ["claims" "review"] => claims::ClaimReviewPage,
    ["claims" {number}] => claims::ClaimPage,
    ["runs"] => claims::RunsPage,
    ["refunds"] => refunds::RefundsPage,
    ["stats"] => statistics::StatisticsPage,
    ["people"] => people::PeoplePage,
    ["people" {id}] => people::PersonPage,
    ["receipt" {number}] => contributions::ReceiptPage,
    ["declaration" {number}] => contributions::DeclarationPage,
    ["verify" {number} {code}] => contributions::VerifyPage,
    ["runs" {number}] => claims::RunPage,
    ["account" "password"] => account::PasswordPage,
    ["admin" "accounts" {id}] => account::AccountPage,
    ["signup" "phone"] => signup::SignupPhonePage,
    ["account" "reset"] => signup::ResetPage,
    ["admin" "outbox"] => signup::OutboxPage,
    ["register" "new"] => signup::NewHouseholdPage,
    ["applications"] => signup::ApplicationsPage,
    ["applications" {id}] => signup::ApplicationPage,
    ["households" "new"] => households::NewHouseholdPage,
    ["signup"] => households::SignupPage,
    ["duplicates"] => households::DuplicatesPage,
    ["reports"] => reports::ReportsPage,
    ["reports" "analysis"] => reports::AnalysisPage,
    ["public" "statistics"] => publications::PublicStatisticsPage,
    ["public" "notices"] => publications::PublicNoticesPage,
}

impl Page {
    fn segments(&self) -> std::str::Split<'static, char> {
        self.path.trim_start_matches('/').split('/')
    }

    /// Whether `path` (without its query) leads to this page.
    pub fn matches(&self, path: &str) -> bool {
        let trimmed = path.trim_start_matches('/').trim_end_matches('/');
        let mut given = trimmed.split('/');
        let mut wanted = self.segments();
        loop {
            match (wanted.next(), given.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w == g || (is_param(w) && !g.is_empty()) => {}
                _ => return false,
            }
        }
    }
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{')
}

/// The page a path leads to, as the router picks among pages that match: a
/// fixed segment before a parameter (`/claims/new` before `/claims/{number}`).
pub fn page_at(path: &str) -> Option<&'static Page> {
    PAGES
        .iter()
        .filter(|p| p.matches(path))
        .min_by_key(|p| p.segments().map(is_param).collect::<Vec<_>>())
}

/// Whether the page at `path` is rendered on the server only, with plain
/// HTML forms and no WebAssembly: the phone's pre-registration (photos post
/// as a plain form), the office's desk for it, the papers to print (forms,
/// receipts, declarations, the public check of a notice), claims with their
/// review and payment runs, and the agency's statistics. Links to them carry
/// `rel="external"` so the client router leaves them to the server.
pub fn server_rendered_only(path: &str) -> bool {
    page_at(path).is_some_and(|p| p.server_rendered_only)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_their_pages() {
        let at = |path| page_at(path).map(|p| p.path);
        assert_eq!(at("/"), Some("/"));
        assert_eq!(at(""), Some("/"));
        assert_eq!(at("/claims/new"), Some("/claims/new"));
        assert_eq!(at("/claims/BX2027000001"), Some("/claims/{number}"));
        assert_eq!(at("/claims/"), Some("/claims"));
        assert_eq!(at("/household/12/form"), Some("/household/{id}/form"));
        assert_eq!(at("/household/12"), None);
        assert_eq!(at("/notice/"), None);
        assert_eq!(at("/nowhere"), None);
    }

    #[test]
    fn server_rendered_only_follows_the_table() {
        for page in PAGES {
            let example = page
                .segments()
                .map(|s| if is_param(s) { "7" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            assert_eq!(
                server_rendered_only(&format!("/{example}")),
                page.server_rendered_only,
                "{}",
                page.path
            );
        }
        assert!(!server_rendered_only("/nowhere"));
    }

    /// The routes leptos lists for the server's router are the table's, every
    /// one rendered whole (`SsrMode::Async`).
    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn the_router_serves_the_table() {
        let mut listed: Vec<(String, bool)> = leptos_axum::generate_route_list(crate::App)
            .iter()
            .map(|r| {
                let whole = matches!(r.mode(), leptos_router::SsrMode::Async);
                (r.path().to_string(), whole)
            })
            .collect();
        let mut table: Vec<(String, bool)> =
            PAGES.iter().map(|p| (p.path.to_string(), true)).collect();
        listed.sort();
        table.sort();
        assert_eq!(listed, table);
    }
}
