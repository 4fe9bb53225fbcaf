//! XLSX workbooks written by hand with the zip crate: a plain one (one sheet,
//! inline strings, as Excel would save the table) and the malicious ones of
//! issue #14 (a sheet reaching XFD1048576, deflate bombs). Shared with the
//! server's HTTP tests (`#[path]`), so both build the same files.
#![allow(dead_code)]

use std::io::Write;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A workbook whose first sheet is `sheet` (the whole XML), with `extra`
/// parts beside it (e.g. `xl/sharedStrings.xml`).
pub fn workbook(sheet: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)),
        ("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#)),
        ("xl/worksheets/sheet1.xml", sheet.to_string()),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts
        .iter()
        .map(|(n, b)| (*n, b.as_bytes()))
        .chain(extra.iter().copied())
    {
        w.start_file(name, opts).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A worksheet's XML around `cells` (`<row>` elements), with a declared
/// dimension if given.
pub fn sheet_xml(dimension: Option<&str>, rows: &str) -> String {
    let dim = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// An inline-string cell.
pub fn cell(at: &str, text: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The table as one sheet (columns A, B, C …), as Excel would save it.
pub fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut xml = String::new();
    for (r, row) in rows.iter().enumerate() {
        xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let col = char::from(b'A' + u8::try_from(c).unwrap());
            xml.push_str(&cell(&format!("{col}{}", r + 1), v));
        }
        xml.push_str("</row>");
    }
    workbook(&sheet_xml(None, &xml), &[])
}

/// A sheet of two cells, the header's first and one at `far`, on their rows.
fn two_cells(dimension: Option<&str>, far: &str) -> Vec<u8> {
    let far_row: String = far.chars().filter(char::is_ascii_digit).collect();
    let first = cell("A1", "身份证号");
    let rows = if far_row == "1" {
        format!(r#"<row r="1">{first}{}</row>"#, cell(far, "x"))
    } else {
        format!(
            r#"<row r="1">{first}</row><row r="{far_row}">{}</row>"#,
            cell(far, "x")
        )
    };
    workbook(&sheet_xml(dimension, &rows), &[])
}

/// Finding 1: about 1.6 KB, two cells, A1 and XFD1048576: as a grid, 17
/// billion cells.
pub fn far_corner() -> Vec<u8> {
    two_cells(Some("A1:XFD1048576"), "XFD1048576")
}

/// A cell in column XFD with no dimension declared: caught at the cell.
pub fn far_corner_undeclared() -> Vec<u8> {
    two_cells(None, "XFD1")
}

/// A sheet one column wide but a million rows long (one cell at the end).
pub fn far_bottom() -> Vec<u8> {
    two_cells(None, "A1000000")
}

/// A deflate bomb: shared strings of `mb` megabytes of one letter, a few
/// tens of kilobytes packed (the size check passes it).
pub fn shared_strings_bomb(mb: usize) -> Vec<u8> {
    let mut sst = format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>"#).into_bytes();
    sst.resize(sst.len() + mb * 1024 * 1024, b'A');
    sst.extend_from_slice(b"</t></si></sst>");
    let rows = format!(r#"<row r="1">{}</row>"#, cell("A1", "身份证号"));
    workbook(
        &sheet_xml(None, &rows),
        &[("xl/sharedStrings.xml", sst.as_slice())],
    )
}

/// Many parts of exactly one megabyte each (below the ratio check), which
/// together unpack to `mb` megabytes.
pub fn many_megabytes(mb: usize) -> Vec<u8> {
    let one = vec![b' '; 1024 * 1024];
    let names: Vec<String> = (0..mb).map(|i| format!("xl/media/pad{i}.xml")).collect();
    let extra: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), one.as_slice())).collect();
    let rows = format!(r#"<row r="1">{}</row>"#, cell("A1", "身份证号"));
    workbook(&sheet_xml(None, &rows), &extra)
}
