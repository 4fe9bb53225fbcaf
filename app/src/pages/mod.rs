//! One module per page, each with the server functions it calls.
pub mod accounts;
pub mod audit;
pub mod cards;
pub mod check;
#[cfg(feature = "ssr")]
pub mod claims;
pub mod contributions;
pub mod enrolment;
pub mod forms;
pub mod home;
pub mod login;
pub mod not_found;
pub mod policy;
pub mod preregistration;
#[cfg(feature = "ssr")]
pub mod refunds;
pub mod roster;
