//! The Content-Security-Policy of a rendered page: scripts only from this
//! site or carrying this response's nonce (the hydration scripts that
//! leptos_axum writes inline), WebAssembly allowed to compile, nothing framed.

/// The hash of the one inline handler the pages use (`onclick="window.print()"`
/// on print buttons), allowed by `'unsafe-hashes'` instead of any inline code.
const PRINT_HANDLER: &str = "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='";

/// The policy for a page whose inline scripts carry `nonce`.
pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' 'unsafe-hashes' {PRINT_HANDLER}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the policy on the response being rendered (server only).
pub fn apply() {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            if let Ok(v) = http::HeaderValue::from_str(&policy(&nonce)) {
                res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
            }
        }
    }
}
