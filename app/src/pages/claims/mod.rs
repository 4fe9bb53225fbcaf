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

use crate::components::{loaded, yuan, yuan_unit};
use crate::error::AppError;
use crate::i18n::{claim_code_text, claim_error, t, t_year, with_n, ClaimMsg, Msg};
use crate::kept::{chosen, form_name, invalid, kept, ticked, FieldError};

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

/// A hospital level by name (二级医院), not by number (2级医院).
pub(super) fn grade_name(grade: i64) -> &'static str {
    t(match grade {
        1 => Msg::Grade1,
        2 => Msg::Grade2,
        _ => Msg::Grade3,
    })
}

pub(super) fn when(ms: i64) -> String {
    db::local_minute(ms)
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
    view! {
        <ol class="steps">
            {ex.0.iter().map(|s| crate::components::explained_step(s.article.clone(), &s.zh, &s.en)).collect_view()}
        </ol>
    }
}
