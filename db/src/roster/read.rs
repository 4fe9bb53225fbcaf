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
        parse_csv(&decode_text(bytes)?)?
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

/// Reads the first sheet of a workbook cell by cell, never as a grid: the
/// zip is measured first ([`check_zip`]), then the sheet's declared
/// dimension and every cell's position are held to what a roster can be
/// ([`MAX_COLUMNS`], [`MAX_SHEET_ROWS`]) before anything is allocated for
/// them. A two-cell sheet reaching XFD1048576 is refused, not expanded.
pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    check_zip(bytes)?;
    let kind = || Error::from(RosterError::FileKind);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| kind())?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(Error::from(RosterError::FileEmpty))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|_| kind())?;
    let declared = cells.dimensions();
    within_sheet_limits(declared.end.0, declared.end.1)?;
    let mut records: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| kind())? {
        let (row, col) = cell.get_position();
        within_sheet_limits(row, col)?;
        let value = match Data::from(cell.get_value().clone()) {
            Data::Empty => continue,
            other => other.to_string(),
        };
        // Both below the limits just checked, so these stay small.
        let (row, col) = (row as usize, col as usize);
        if records.len() <= row {
            records.resize(row + 1, Vec::new());
        }
        let record = &mut records[row];
        if record.len() <= col {
            record.resize(col + 1, String::new());
        }
        record[col] = value;
    }
    Ok(records)
}

/// A cell (0-based row and column) a roster can have.
fn within_sheet_limits(row: u32, col: u32) -> Result<()> {
    if col >= MAX_COLUMNS {
        return Err(Error::from(RosterError::FileTooWide));
    }
    if row >= MAX_SHEET_ROWS {
        return Err(Error::from(RosterError::FileTooManyRows));
    }
    Ok(())
}

/// Measures a workbook's zip before anything is unpacked for real: at most
/// [`MAX_ZIP_ENTRIES`] entries, whose sizes (as the central directory
/// declares them, and then as they actually inflate, counted and cut off)
/// add up to at most [`MAX_UNPACKED_BYTES`], none inflating more than
/// [`MAX_PACKING_RATIO`] times over. A deflate bomb stops here.
pub fn check_zip(bytes: &[u8]) -> Result<()> {
    let too_big = || Error::from(RosterError::FileUnpacksTooBig);
    let kind = || Error::from(RosterError::FileKind);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| kind())?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(too_big());
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| kind())?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        declared = declared.saturating_add(size);
        if declared > MAX_UNPACKED_BYTES || packed_too_tightly(size, packed) {
            return Err(too_big());
        }
    }
    // The declared sizes may lie: inflate each entry into nothing, counting.
    let mut left = MAX_UNPACKED_BYTES;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| kind())?;
        let packed = entry.compressed_size();
        let mut limited = std::io::Read::take(&mut entry, left + 1);
        let n = std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| kind())?;
        if n > left || packed_too_tightly(n, packed) {
            return Err(too_big());
        }
        left -= n;
    }
    Ok(())
}

/// An entry that inflates beyond reason: more than a megabyte, at a ratio
/// no spreadsheet's XML reaches.
fn packed_too_tightly(size: u64, packed: u64) -> bool {
    size > 1024 * 1024 && size / packed.max(1) > MAX_PACKING_RATIO
}

/// RFC 4180 records (the `csv` crate): quoted fields may hold commas, quotes
/// ("") and line breaks. A header with tabs and no commas makes the file
/// tab-separated. A record stands at the index of its row as a spreadsheet
/// numbers them: blank lines count, line breaks inside a field do not, and a
/// blank line is an empty record. A record beyond [`MAX_SHEET_ROWS`] or
/// wider than [`MAX_COLUMNS`] refuses the file, as in a workbook.
pub(super) fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let first_line = text.lines().next().unwrap_or("");
    let sep = if !first_line.contains(',') && first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut records: Vec<Vec<String>> = Vec::new();
    // Line breaks before the start of the record read last, and those inside
    // the fields of the records read so far: the difference is its row.
    let (mut scanned, mut breaks_before, mut breaks_within) = (0, 0, 0);
    // From memory, of text, with records of any width: reading cannot fail.
    for record in reader.records().flatten() {
        // The reader places a record where the previous one ended; blank
        // lines and the rest of a CRLF come before its first byte.
        let ended = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(scanned);
        let skipped = bytes.get(ended..).unwrap_or_default();
        let start = ended
            + skipped
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        breaks_before += newlines(bytes.get(scanned..start).unwrap_or_default());
        scanned = start;
        let row = breaks_before.saturating_sub(breaks_within);
        let last_col = record.len().saturating_sub(1);
        within_sheet_limits(
            u32::try_from(row).unwrap_or(u32::MAX),
            u32::try_from(last_col).unwrap_or(u32::MAX),
        )?;
        if row > records.len() {
            records.resize(row, Vec::new());
        }
        breaks_within += record.iter().map(|f| newlines(f.as_bytes())).sum::<usize>();
        records.push(record.iter().map(str::to_owned).collect());
    }
    Ok(records)
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
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

#[cfg(test)]
mod tests {
    use super::parse_csv;

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,,\r\n";
        assert_eq!(
            parse_csv(text).unwrap(),
            [
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\r\nlines"],
                vec!["last", "", ""],
            ]
        );
    }

    #[test]
    fn records_keep_the_row_numbers_of_a_spreadsheet() {
        // A blank line is a row; a line break inside a field is not.
        let text = "h1,h2\n\n\"a\nb\",1\n\nc,2";
        let records = parse_csv(text).unwrap();
        assert_eq!(records.len(), 5);
        assert!(records[1].iter().all(|c| c.is_empty()));
        assert_eq!(records[2], ["a\nb", "1"]);
        assert!(records[3].iter().all(|c| c.is_empty()));
        assert_eq!(records[4], ["c", "2"]);
    }

    #[test]
    fn a_header_with_tabs_and_no_commas_makes_the_file_tab_separated() {
        assert_eq!(
            parse_csv("身份证号\t姓名\n1, 2\t王\n").unwrap(),
            [vec!["身份证号", "姓名"], vec!["1, 2", "王"]]
        );
    }
}
