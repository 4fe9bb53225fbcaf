//! Rate limits on the posts that check a password (finding 3): so many a
//! minute from one client address, and so many from all addresses at once,
//! so a guesser can neither hammer one account nor spray many. Over either
//! limit the answer is 429 with `Retry-After` and, in the user's language,
//! how long to wait. The lock-out of db::accounts still applies beneath.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use app::error::AppError;
use app::i18n::Lang;
use app::ssr::LoginLimits;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The posts that check a password: the log-in, and changing one's own.
pub const CREDENTIAL_PATHS: &[&str] = &["/api/auth/login", "/account/password"];

/// The posts that send a one-time code to a phone (a message costs money
/// and bothers its owner): limited per address by PORTAL_CODES_PER_MINUTE.
pub const CODE_PATHS: &[&str] = &["/signup/phone", "/account/reset"];

/// Addresses kept in the per-address limiter before the idle ones are dropped.
const MAX_TRACKED_ADDRESSES: usize = 10_000;

pub struct CredentialLimiter {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    global: DefaultDirectRateLimiter,
    clock: DefaultClock,
}

/// `n` a minute, all of them at once if they come at once.
fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl CredentialLimiter {
    pub fn new(limits: LoginLimits) -> CredentialLimiter {
        CredentialLimiter {
            per_address: RateLimiter::keyed(per_minute(limits.per_address)),
            global: RateLimiter::direct(per_minute(limits.global)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one attempt from `from`: None when allowed, else how long to wait.
    pub fn check(&self, from: IpAddr) -> Option<Duration> {
        if self.per_address.len() > MAX_TRACKED_ADDRESSES {
            self.per_address.retain_recent();
        }
        let refused = match self.per_address.check_key(&from) {
            Ok(()) => self.global.check().err(),
            Err(wait) => Some(wait),
        };
        refused.map(|wait| wait.wait_time_from(self.clock.now()))
    }
}

/// Whole seconds to wait, at least one (`Retry-After` has no fractions).
fn seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The client's address as the server was told it; the unspecified address
/// where it was not (tests through the router), one bucket for all of those.
pub fn client_ip(req: &Request<Body>) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

pub async fn limit_credentials(
    limiter: Arc<CredentialLimiter>,
    req: Request<Body>,
    next: Next,
) -> Response {
    limit_paths(limiter, CREDENTIAL_PATHS, req, next).await
}

/// The posts that try an activation code (a guesser's other door), with
/// their own rate (PORTAL_SIGNUP_PER_MINUTE).
pub const SIGNUP_PATHS: &[&str] = &["/signup"];

pub async fn limit_signups(
    limiter: Arc<CredentialLimiter>,
    req: Request<Body>,
    next: Next,
) -> Response {
    limit_paths(limiter, SIGNUP_PATHS, req, next).await
}

/// Posts to `paths` over the limiter's allowance answer 429.
pub async fn limit_paths(
    limiter: Arc<CredentialLimiter>,
    paths: &[&str],
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if req.method() != Method::POST || !paths.contains(&path) {
        return next.run(req).await;
    }
    let from = client_ip(&req);
    let Some(wait) = limiter.check(from) else {
        return next.run(req).await;
    };
    let seconds = seconds(wait);
    tracing::warn!(target: "portal::auth", %from, path, seconds, "credential posts over the rate limit");
    too_many(req.headers(), seconds)
}

/// 429 with `Retry-After`: the error as a server function answers it for the
/// hydrated page (which shows its words), else the words themselves in the
/// language of the cookie, for a plain form.
fn too_many(headers: &HeaderMap, seconds: u64) -> Response {
    let error = AppError::TooManyAttempts { seconds };
    let plain_form = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let mut res = if plain_form {
        let lang = headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_cookie_header)
            .unwrap_or_default();
        (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            error.message(lang),
        )
            .into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&error).unwrap_or_default(),
        )
            .into_response()
    };
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_allowance_under_a_global_cap() {
        let limiter = CredentialLimiter::new(LoginLimits {
            per_address: 2,
            global: 5,
        });
        let a = IpAddr::from([192, 0, 2, 1]);
        let b = IpAddr::from([192, 0, 2, 2]);
        assert!(limiter.check(a).is_none() && limiter.check(a).is_none());
        let wait = limiter.check(a).expect("a third from one address waits");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limiter.check(b).is_none() && limiter.check(b).is_none());
        // Five allowed in all: a fresh address still waits.
        let c = IpAddr::from([192, 0, 2, 3]);
        assert!(limiter.check(c).is_none());
        assert!(limiter.check(IpAddr::from([192, 0, 2, 4])).is_some());
        assert_eq!(seconds(Duration::from_millis(1)), 1);
        assert_eq!(seconds(Duration::from_millis(6001)), 7);
    }
}
