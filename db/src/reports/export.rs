//! A report version as a file (T13, T14): CSV for any tool, XLSX for the
//! finance bureaus and the league, each row a figure with its previous
//! value, its change and its explanation. The caller names the figures and
//! columns in the reader's language; money is in yuan with two decimals.

use policy::money::Money;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::Report;
use crate::{Error, Result};

/// The column titles: figure, previous, current, change, explanation.
pub type Headers<'a> = [&'a str; 5];

fn shown(key: &str, v: i64) -> String {
    if key.ends_with("_fen") {
        Money::from_fen(v).to_string()
    } else {
        v.to_string()
    }
}

fn explanation<'a>(r: &'a Report, key: &str) -> &'a str {
    r.explanations
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

fn quoted(cell: &str) -> String {
    // A cell a spreadsheet would run as a formula is written as text.
    let numeric = cell.starts_with('-') && cell[1..].starts_with(|c: char| c.is_ascii_digit());
    let cell = if cell.starts_with(['=', '+', '-', '@']) && !numeric {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// The report as CSV (UTF-8 with its mark, so a spreadsheet opens the
/// Chinese right).
pub fn csv(r: &Report, label: impl Fn(&str) -> String, headers: Headers<'_>) -> String {
    let mut out = format!("\u{feff}key,{}\r\n", headers.map(quoted).join(","));
    for c in &r.changes {
        let cells = [
            c.key.clone(),
            label(&c.key),
            c.before.map(|b| shown(&c.key, b)).unwrap_or_default(),
            shown(&c.key, c.after),
            c.percent.map(|p| format!("{p}%")).unwrap_or_default(),
            explanation(r, &c.key).to_string(),
        ];
        out.push_str(&cells.map(|c| quoted(&c)).join(","));
        out.push_str("\r\n");
    }
    out
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Database(sqlx::Error::Protocol(format!("xlsx: {e}")))
}

/// The report as an XLSX workbook of one sheet named `title` (its period).
pub fn xlsx(
    r: &Report,
    title: &str,
    label: impl Fn(&str) -> String,
    headers: Headers<'_>,
) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(title).map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    for (col, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *h, &bold)
            .map_err(xlsx_error)?;
    }
    sheet.set_column_width(0, 36).map_err(xlsx_error)?;
    sheet.set_column_width(4, 40).map_err(xlsx_error)?;
    for (i, c) in r.changes.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet
            .write_string(row, 0, label(&c.key))
            .map_err(xlsx_error)?;
        // A spreadsheet cell holds a binary number: fen become yuan only
        // here, at the edge, from the exact integer, and are shown with
        // two decimals; nothing is computed from them.
        let cell = |v: i64| -> (f64, bool) {
            if c.key.ends_with("_fen") {
                (v as f64 / 100.0, true)
            } else {
                (v as f64, false)
            }
        };
        for (col, value) in [(1u16, c.before), (2, Some(c.after))] {
            if let Some(v) = value {
                let (n, is_money) = cell(v);
                if is_money {
                    sheet.write_number_with_format(row, col, n, &money)
                } else {
                    sheet.write_number(row, col, n)
                }
                .map_err(xlsx_error)?;
            }
        }
        if let Some(p) = c.percent {
            sheet
                .write_string(row, 3, format!("{p}%"))
                .map_err(xlsx_error)?;
        }
        sheet
            .write_string(row, 4, explanation(r, &c.key))
            .map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}
