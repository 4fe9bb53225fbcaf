//! Files the portal hands out as downloads (the roster's bad rows and
//! template, a run's bank file, the statistics): one response shape, never
//! kept by a cache, since most carry identity or bank numbers.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `body` as a CSV attachment named `filename`.
pub fn csv(filename: &str, body: String) -> Response {
    attachment(filename, "text/csv; charset=utf-8", body)
}

/// `body` as an XLSX workbook named `filename`.
pub fn xlsx(filename: &str, body: Vec<u8>) -> Response {
    attachment(
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    )
}

fn attachment(filename: &str, content_type: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
