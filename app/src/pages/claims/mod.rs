//! Claims: a resident reports an emergency, asks for approvals, files a
//! claim and photographs its documents on the phone, and follows it
//! (`/claims`, `/claims/new`, `/claims/{number}`); the agency reviews in two
//! steps and answers approvals (`/claims/review`), and pays in monthly runs
//! (`/runs`, `/runs/{number}`).
//!
//! Rendered on the server only, with plain HTML forms that post to
//! server/src/claims.rs and come back with the outcome in the URL: they work
//! on any phone with or without WebAssembly, and they add nothing to the
//! WebAssembly of the other pages. `public/claims.js`, when it loads, uploads
//! documents one by one with a progress bar, skips what already arrived and
//! retries after a lost connection.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{loaded, yuan};
use crate::error::AppError;
use crate::i18n::{claim_code_text, claim_error, t, t_year, use_lang, with_n, ClaimMsg, Msg};

mod claim;
mod filing;
mod resident;
mod review;
mod runs;

pub use claim::*;
pub use filing::*;
pub use resident::*;
pub use review::*;
pub use runs::*;

pub(super) fn when(ms: i64) -> String {
    db::local_time(ms)
}

/// Outcome of the last post, from the URL: `?error=<code>` or `?ok=<code>`.
#[component]
pub(super) fn Outcome() -> impl IntoView {
    let query = use_query_map();
    let (error, ok) = query.with(|q| (q.get("error"), q.get("ok")));
    view! {
        {error.map(|code| view! { <p class="error" role="alert">{claim_error(&code)}</p> })}
        {ok.map(|code| view! { <p class="ok" role="status">{claim_code_text(&code)}</p> })}
    }
}

pub(super) fn steps_view(ex: &policy::explain::Explanation) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="steps">
            {ex.0.iter().map(|s| {
                let text = lang.pick(&s.zh, &s.en).to_string();
                view! { <li><span class="article">{s.article.clone()}</span> " " {text}</li> }
            }).collect_view()}
        </ol>
    }
}
