//! Reading an uploaded roster: CSV (UTF-8 or GBK) or XLSX into a table of named columns.

use super::*;
use crate::error::RosterError;

/// Reads a roster file: XLSX (first sheet) or CSV in UTF-8 (with or without
/// BOM) or GBK. Anything else, or a file over the limit, is refused whole.
pub fn read_file(bytes: &[u8]) -> Result<Table> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::from(RosterError::FileTooBig));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::from(RosterError::FileEmpty));
    }
    let records = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        parse_csv(&decode_text(bytes)?)
    };
    table_from_records(records)
}

/// The text of a CSV file: UTF-8 when it is valid UTF-8 (a BOM dropped),
/// else GBK, which is what Excel writes on a Chinese Windows. Text with
/// control characters is no CSV (an old .xls, a picture, a PDF).
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(Error::from(RosterError::FileKind))?
            .into_owned(),
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(Error::from(RosterError::FileKind));
    }
    Ok(text)
}

pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| Error::from(RosterError::FileKind))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(Error::from(RosterError::FileEmpty))?
        .map_err(|_| Error::from(RosterError::FileKind))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// RFC 4180 records: quoted fields may hold commas, quotes ("") and line
/// breaks. A header with tabs and no commas makes the file tab-separated.
pub(super) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let first_line = text.lines().next().unwrap_or("");
    let sep = if !first_line.contains(',') && first_line.contains('\t') {
        '\t'
    } else {
        ','
    };
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            c if c == sep => record.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

pub(super) fn table_from_records(records: Vec<Vec<String>>) -> Result<Table> {
    let blank = |r: &Vec<String>| r.iter().all(|c| c.trim().is_empty());
    let mut numbered = records.into_iter().zip(1u32..).filter(|(r, _)| !blank(r));
    let (header, _) = numbered.next().ok_or(Error::from(RosterError::FileEmpty))?;
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let cols = columns(&header);
    if !cols.contains_key(&Col::IdNumber) || !cols.contains_key(&Col::Name) {
        return Err(Error::from(RosterError::FileHeader));
    }
    let rows: Vec<SourceRow> = numbered
        .map(|(cells, line)| SourceRow { line, cells })
        .collect();
    if rows.is_empty() {
        return Err(Error::from(RosterError::FileEmpty));
    }
    if rows.len() > MAX_ROWS {
        return Err(Error::from(RosterError::FileTooManyRows));
    }
    Ok(Table { header, rows })
}

pub(super) fn columns(header: &[String]) -> HashMap<Col, usize> {
    let norm = |s: &str| -> String {
        s.trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut found = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = norm(h);
        if let Some((col, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&h.as_str()))
        {
            found.entry(*col).or_insert(i);
        }
    }
    found
}
