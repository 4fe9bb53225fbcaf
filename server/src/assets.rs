//! The site's static files as a phone on a slow network wants them: named by
//! the hash of their content, kept for a year, and sent compressed.
//!
//! cargo-leptos (`hash-files = true`, `--precompress`) writes
//! `pkg/portal.<hash>.wasm` with its `.br` and `.gz` beside it, and the hashes
//! to `hash.txt` next to the binary; leptos_axum's file service sends the
//! precompressed copy the browser accepts. Pages and server-function answers
//! are compressed on the fly.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Whether the build left `hash.txt` beside the running binary. Leptos reads
/// the hashed names from it on every page; without it (tests, a binary
/// copied alone) the plain names are used, and leptos must not be told to
/// hash, or it fails looking for the file.
pub fn hash_file_beside_binary() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.is_file())
}

/// Whether a file name under `/pkg/` carries a content hash: `portal.<hash>.wasm`
/// (cargo-leptos writes the hash as a base64url word of at least 16 characters).
pub fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let mut parts = name.split('.');
    let (Some(_stem), Some(hash), Some(_ext)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() >= 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A hashed asset never changes under its name: a year, immutable, so a
/// second visit downloads nothing. An unhashed one (a development build) is
/// checked each time.
pub async fn cache_control(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if path.starts_with("/pkg/") && res.status().is_success() {
        let value = if is_hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// Brotli or gzip for pages and answers, at a quality cheap enough to run on
/// every request (5 of 11 for brotli, 5 of 9 for gzip). Answers already
/// encoded (the precompressed assets) and images pass through untouched.
pub fn compression() -> CompressionLayer {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_hashed_asset("/pkg/portal.Ab3_9xYz-QrStUvWx12.wasm"));
        assert!(is_hashed_asset("/pkg/portal.Ab3_9xYz-QrStUvWx12.wasm.br"));
        assert!(!is_hashed_asset("/pkg/portal.wasm"));
        assert!(!is_hashed_asset("/pkg/portal.css"));
        assert!(!is_hashed_asset("/favicon.svg"));
        assert!(!is_hashed_asset("/pkg/portal.short.js"));
    }
}
