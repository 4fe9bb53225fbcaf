//! The rules of the Xing'an League urban-resident basic medical insurance
//! scheme (兴安盟城镇居民基本医疗保险, 兴署办发〔2008〕24号), as a pure library.
//!
//! Nothing here reads a file, opens a socket or looks at the clock: every
//! date ("today", "as of", "approved on") is an argument, and the parameters
//! of each policy year are data ([`params::YearParams`], one TOML file per
//! year under `policy/years/`, embedded at compile time by
//! [`params::Rules::builtin`]).
//!
//! Every decision carries an [`explain::Explanation`]: the steps taken, each
//! citing its article ("E5" = article 5 of the 参保缴费管理规定, "B3" = article 3
//! of the 待遇支付管理规定, …, as in `RULES.md`), in Chinese and English. The
//! explanation is also the audit record of the decision.
//!
//! Which year's parameters govern a rule that spans years: the parameters of
//! the policy year the rule is *about*. The due date of year Z (even when it
//! falls on 30 November of Z−1) comes from Z's file; the 1 May sweep of Z from
//! Z's file; a benefit from the file of the year the care is accounted to
//! (the discharge year, B5); a working-day count or a payment-run window from
//! the file of the calendar year of each day it looks at. A year without a
//! file is an error ([`params::RulesError::UnknownYear`]), never a silent
//! fallback.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

/// Adds a step to an [`explain::Trace`]; the texts are only formatted when
/// the trace is on, so bulk answers without explanations skip that work.
macro_rules! step {
    ($trace:expr, $article:expr, $zh:expr, $en:expr $(,)?) => {
        if $trace.is_on() {
            $trace.push($article, $zh, $en);
        }
    };
}

/// An enum whose variants have stable lower-snake-case codes (the words of
/// the API, the database and the message catalogue): `ALL`, `code()` and
/// `from_code()` come from one list, so no table can miss a variant.
#[macro_export]
macro_rules! coded {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$meta])*
        $vis enum $name { $($(#[$vmeta])* $variant,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
        }
    };
}

pub mod api;
pub mod benefit;
pub mod calendar;
pub mod contribution;
pub mod eligibility;
pub mod explain;
pub mod fraud;
pub mod idcard;
pub mod money;
pub mod params;
pub mod payment_run;
pub mod reports;

pub use explain::{Explanation, Step};
pub use money::{round_half_up, Money};
pub use params::{Rules, RulesError, YearParams};
