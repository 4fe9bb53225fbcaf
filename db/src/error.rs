use thiserror::Error;

/// What a service refuses or fails with. Every variant but `Database` is the
/// user's to read: the app maps `code()` to a message in the user's language.
#[derive(Debug, Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("invalid: {0}")]
    Invalid(&'static str),
    #[error("account locked")]
    Locked { until_ms: i64 },
    #[error("database: {0}")]
    Database(sqlx::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A stable lower-snake-case code, the key of the user-facing message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Forbidden => "forbidden",
            Error::Conflict(c) | Error::Invalid(c) => c,
            Error::Locked { .. } => "account_locked",
            Error::Database(_) => "internal",
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Error::NotFound,
            // A unique constraint is a user's "already exists", never a 500.
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                Error::Conflict("already_exists")
            }
            _ => Error::Database(e),
        }
    }
}
