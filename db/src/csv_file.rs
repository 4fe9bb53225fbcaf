//! CSV files that people open in a spreadsheet: the roster's bad rows, a
//! payment run's bank file, the statistics. The `csv` crate quotes a field
//! when it needs it (RFC 4180, CRLF line ends); on top, a text cell that a
//! spreadsheet would run as a formula is defused with a leading apostrophe.

use std::fmt::Display;

/// One CSV file, written line by line.
pub(crate) struct CsvFile {
    out: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    /// Starts with a UTF-8 byte order mark, so that Excel opens the Chinese
    /// right: every file the portal hands out does.
    pub(crate) fn with_bom() -> Self {
        Self::starting_with("\u{feff}".into())
    }

    fn starting_with(bytes: Vec<u8>) -> Self {
        let out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(bytes);
        CsvFile { out }
    }

    /// A line of text cells, each defused.
    pub(crate) fn line<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for c in cells {
            self.text(c.as_ref());
        }
        self.end_line();
    }

    /// A text cell: someone typed it, so a leading formula sign is defused.
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.field(defused(s).as_bytes())
    }

    /// A figure the portal computed (a count, an amount, a year), as it prints.
    pub(crate) fn figure(&mut self, v: impl Display) -> &mut Self {
        self.field(v.to_string().as_bytes())
    }

    fn field(&mut self, bytes: &[u8]) -> &mut Self {
        // Writing into memory cannot fail.
        let _ = self.out.write_field(bytes);
        self
    }

    pub(crate) fn end_line(&mut self) {
        let _ = self.out.write_record(None::<&[u8]>);
    }

    /// The file's text.
    pub(crate) fn finish(self) -> String {
        // Flushing into memory cannot fail, and only text went in.
        String::from_utf8(self.out.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// A cell starting with = + - @ (or a tab or carriage return before one)
/// would run as a formula in a spreadsheet: an apostrophe in front keeps it text.
pub(crate) fn defused(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_line(cells: &[&str]) -> String {
        let mut f = CsvFile::starting_with(Vec::new());
        f.line(cells);
        f.finish()
    }

    #[test]
    fn fields_are_quoted_only_when_they_need_it() {
        assert_eq!(
            one_line(&[
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "cr\rhere",
                "",
                "三年级2班"
            ]),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,三年级2班\r\n"
        );
    }

    #[test]
    fn formula_signs_are_defused() {
        assert_eq!(
            one_line(&["=1+1", "+86", "-2", "@SUM(A1)", "a=b"]),
            "'=1+1,'+86,'-2,'@SUM(A1),a=b\r\n"
        );
    }

    #[test]
    fn a_leading_tab_or_carriage_return_is_defused_too() {
        assert_eq!(
            one_line(&["\t=1+1", "\r=1+1", "x\t"]),
            "'\t=1+1,\"'\r=1+1\",x\t\r\n"
        );
    }

    #[test]
    fn figures_are_written_as_they_print() {
        let mut f = CsvFile::with_bom();
        f.text("合计").figure(-5).figure("12.50").end_line();
        assert_eq!(f.finish(), "\u{feff}合计,-5,12.50\r\n");
    }
}
