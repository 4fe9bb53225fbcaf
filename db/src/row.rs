//! Typed columns of a row. Dates are stored as `YYYY-MM-DD` text on both
//! engines and read back as `NaiveDate`; a stored value that is not one is a
//! decode error, not a date the pages would show.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A date column that is never empty.
pub(crate) fn date(r: &AnyRow, column: &str) -> sqlx::Result<NaiveDate> {
    parse(column, &r.try_get::<String, _>(column)?)
}

/// A date column that may be empty (not decided, not yet paid …).
pub(crate) fn date_opt(r: &AnyRow, column: &str) -> sqlx::Result<Option<NaiveDate>> {
    r.try_get::<Option<String>, _>(column)?
        .map(|text| parse(column, &text))
        .transpose()
}

fn parse(column: &str, text: &str) -> sqlx::Result<NaiveDate> {
    text.parse()
        .map_err(|_| sqlx::Error::Decode(format!("{column}: {text:?} is not a date").into()))
}
