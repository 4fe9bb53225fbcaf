//! Multipart uploads read part by part with a running cap: a part's bytes
//! are gathered chunk by chunk and the part is refused as soon as it passes
//! its limit, so no more than the limit is ever held for it. Each route also
//! carries a `DefaultBodyLimit` for its whole body (see [`body_limit`]), which
//! the multipart reader enforces while streaming.

use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;

/// The most a text part of an upload form may hold (a year, a code, a name).
pub const MAX_TEXT_PART: usize = 64 * 1024;

/// Why a part could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Over its own cap, or the body over the route's limit.
    TooLarge,
    /// Not multipart, or cut off by the client.
    Broken,
}

impl From<MultipartError> for Cut {
    fn from(e: MultipartError) -> Cut {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Cut::TooLarge
        } else {
            Cut::Broken
        }
    }
}

impl Cut {
    /// The refusal to answer with: `too_large` for a part or body over its
    /// limit, an unreadable request otherwise.
    pub fn refusal(self, too_large: impl Into<db::Error>) -> db::Error {
        match self {
            Cut::TooLarge => too_large.into(),
            Cut::Broken => db::error::InputError::Request.into(),
        }
    }
}

/// A whole route's body limit: `files` files of `per_file` bytes, and room
/// for the form's text parts and the multipart framing.
pub fn body_limit(per_file: usize, files: usize) -> usize {
    per_file.saturating_mul(files).saturating_add(1024 * 1024)
}

/// The part's bytes, refused with [`Cut::TooLarge`] the moment they pass `cap`.
pub async fn read_capped(field: &mut Field<'_>, cap: usize) -> Result<Vec<u8>, Cut> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len().saturating_add(chunk.len()) > cap {
            return Err(Cut::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A text part, at most [`MAX_TEXT_PART`] bytes, read as UTF-8 (lossily).
pub async fn read_text(field: &mut Field<'_>) -> Result<String, Cut> {
    let bytes = read_capped(field, MAX_TEXT_PART).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
