//! The one error type of server functions: a code that crosses the wire and
//! becomes a message in the user's language.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("cross-site request")]
    CrossSite,
    /// A refusal: the code names the message, the status says how it is
    /// answered (400 bad input, 409 changed meanwhile or a duplicate, 413 too
    /// large, 422 refused by a rule of the scheme).
    #[error("refused: {code}")]
    Refused { code: String, status: u16 },
    #[error("account locked")]
    Locked,
    /// Too many log-ins (or other credential posts) from one address, or
    /// from everywhere at once: try again in this many seconds.
    #[error("too many attempts")]
    TooManyAttempts { seconds: u64 },
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// Input the user can correct, refused by the page itself (400).
    pub fn bad_input(code: impl Into<String>) -> AppError {
        AppError::Refused {
            code: code.into(),
            status: 400,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Refused { status, .. } => *status,
            AppError::Locked | AppError::TooManyAttempts { .. } => 429,
            AppError::Internal => 500,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let msg = match self {
            AppError::Unauthorized => Msg::ErrUnauthorized,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::CrossSite => Msg::ErrCrossSite,
            AppError::Locked => Msg::LoginLocked,
            AppError::Internal => Msg::ErrInternal,
            AppError::TooManyAttempts { seconds } => {
                return crate::i18n::with_n(Msg::TooManyAttempts.text(lang), seconds)
            }
            AppError::Refused { code, .. } => {
                return crate::i18n::refusal_text(lang, code)
                    .unwrap_or_else(|| Msg::ErrInvalid.text(lang).to_string())
            }
        };
        msg.text(lang).to_string()
    }
}

/// Refusals made by the pages themselves, beside the services' (`db::error`).
pub const PAGE_REFUSALS: &[&str] = &[
    "login_refused",
    // The new password and its repetition differ.
    "password_mismatch",
    // An administrator reset the password: nothing else until it is changed.
    "password_change_required",
    // A statistics period that is not one (`2027-Q5`).
    "period",
];

/// Every refusal code there is: each has its words in every language
/// (`refusal-<code>` in the catalogue; a test checks).
#[cfg(feature = "ssr")]
pub fn refusal_codes() -> Vec<&'static str> {
    db::error::Refusal::all()
        .into_iter()
        .map(|r| r.code())
        .chain(PAGE_REFUSALS.iter().copied())
        .collect()
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => AppError::bad_input("request"),
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<db::Error> for AppError {
    fn from(e: db::Error) -> Self {
        match e {
            db::Error::NotFound => AppError::NotFound,
            db::Error::Forbidden => AppError::Forbidden,
            db::Error::Locked { .. } => AppError::Locked,
            db::Error::Refused(r) => AppError::Refused {
                code: r.code().to_string(),
                status: r.kind().status(),
            },
            db::Error::Database(err) => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// Every refusal, the services' and the pages' own, has its own words
    /// in every language of the catalogue, never the generic "输入有误".
    #[test]
    fn every_refusal_has_its_own_message_in_every_language() {
        let mut missing = Vec::new();
        for code in refusal_codes() {
            let e = AppError::Refused {
                code: code.into(),
                status: 400,
            };
            for lang in Lang::ALL {
                if e.message(*lang) == Msg::ErrInvalid.text(*lang) {
                    missing.push(format!("{code} ({lang:?})"));
                }
            }
        }
        assert!(missing.is_empty(), "no message for: {}", missing.join(", "));
        // The check can fail: an unknown code gets the generic words.
        let unknown = AppError::bad_input("no_such_refusal");
        assert_eq!(unknown.message(Lang::Zh), Msg::ErrInvalid.text(Lang::Zh));
    }

    #[test]
    fn each_error_answers_its_status() {
        let refused = |r: db::error::Refusal| AppError::from(db::Error::from(r)).status();
        use db::error::*;
        assert_eq!(refused(Refusal::InputError(InputError::Date)), 400);
        assert_eq!(refused(Refusal::InputError(InputError::StateChanged)), 409);
        assert_eq!(
            refused(Refusal::DocumentError(DocumentError::DocumentTooLarge)),
            413
        );
        assert_eq!(
            refused(Refusal::ClaimError(ClaimError::EmergencyReportLate)),
            422
        );
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Locked.status(), 429);
        assert_eq!(AppError::TooManyAttempts { seconds: 6 }.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }
}
