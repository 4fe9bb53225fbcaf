//! Mutating requests from another site are refused before they reach a
//! server function: the session cookie is SameSite=Lax, and this checks the
//! browser's own word on where the request came from.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_site(req: Request<Body>, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && is_cross_site(&req)
    {
        return (
            StatusCode::FORBIDDEN,
            "cross-site request refused / 拒绝跨站请求",
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_site(req: &Request<Body>) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is the user typing or bookmarking; "same-site" is another
        // host of the same registrable domain, which is not us.
        return site != "same-origin" && site != "none";
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        // No Origin: not a browser's cross-site form or fetch (they send one on POST).
        _ => false,
    }
}

/// Headers every answer carries: no framing (clickjacking), no type sniffing,
/// no full URL sent to other sites, HSTS where cookies are Secure; and no
/// copy kept by a browser or proxy of anything personal — signed-in pages,
/// server-function answers and documents (ID cards, medical scans).
pub async fn security_headers(secure: bool, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let from = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "-".to_string(), |c| c.0.ip().to_string());
    let signed_in = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.contains(app::ssr::SESSION_COOKIE));
    let mut res = next.run(req).await;
    if matches!(
        res.status(),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
    ) {
        // The notice check's path carries its code: not logged.
        let logged = if path.starts_with("/verify/") {
            "/verify/…"
        } else {
            path.as_str()
        };
        tracing::warn!(
            target: "portal::access",
            status = res.status().as_u16(),
            %method,
            path = logged,
            signed_in,
            from,
            "access refused"
        );
    }
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        // Pages set their own, with the response's nonce (app::csp).
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
            ),
        );
    }
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let personal = signed_in || path.starts_with("/api/") || path.starts_with("/documents/");
    if personal && !path.starts_with("/pkg/") {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    res
}
