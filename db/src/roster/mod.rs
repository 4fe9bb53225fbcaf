//! School rosters: a school agent checks and imports a file of pupils (CSV or
//! XLSX) for a policy year. Pupils of any age and hukou enrol as students
//! through their school (E4, E9); a pupil who graduates or leaves stops being
//! the school's (E17).
//!
//! Every row is checked (fields, identity number, duplicates in the file, the
//! person's enrolment elsewhere, the policy engine's quote) and the report
//! lists each bad row with its reason codes, which the app turns into the
//! user's language. A dry run writes only its report; an import writes every
//! good row in one transaction, with the audit entries of the single-person
//! path (`person.create`, `enrolment.register`) and one `roster.import` entry
//! for the batch. A row whose pupil this school already enrolled for the year
//! is "already imported", so the same file twice changes nothing.
//!
//! Readings taken here:
//! - A row's person is found by identity number. A new person belongs to the
//!   school (no household) in the school's county. A person already known
//!   with no school joins this school; one on another school's roster, or
//!   enrolled for the year by anyone else, is a bad row.
//! - A known person recorded under another name is a bad row: the identity
//!   number or the name is mistyped, and guessing which would enrol the
//!   wrong child.
//! - The file's facts (hukou, 低保, disability, NCMS) replace the stored ones
//!   only where the file gives a value.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use policy::eligibility::{PersonFacts, Registrar};
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::enrolment::{insert_drafts, terms, Terms};
use crate::households::{insert_persons, NewPerson};
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

mod check;
mod import;
mod leaving;
mod read;
mod report;

use check::*;
pub use import::*;
pub use leaving::*;
pub use read::*;
pub use report::*;

/// The largest roster file accepted.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The most pupil rows one file may hold (a large school, with room to spare).
pub const MAX_ROWS: usize = 20_000;
/// The widest sheet a roster can be: seven columns, and room for notes.
pub const MAX_COLUMNS: u32 = 50;
/// The longest sheet a roster can be (0-based rows below this): the pupil
/// rows, the header, and room for blank lines between them.
pub const MAX_SHEET_ROWS: u32 = 21_000;
/// What a workbook may unpack to, all its zip entries together.
pub const MAX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;
/// The most entries a workbook's zip may hold (a real one has about ten).
pub const MAX_ZIP_ENTRIES: usize = 1_000;
/// The highest ratio of unpacked to packed size of a large entry: spreadsheet
/// XML packs well, but deflate's own maximum (about 1,000) is a bomb.
pub const MAX_PACKING_RATIO: u64 = 200;

/// The columns a roster file may have, each with the header names accepted
/// (compared without case, spaces or underscores). Others are kept but ignored.
pub(super) const COLUMNS: [(Col, &[&str]); 7] = [
    (
        Col::IdNumber,
        &["身份证号", "身份证号码", "公民身份号码", "idnumber"],
    ),
    (Col::Name, &["姓名", "name"]),
    (Col::Class, &["班级", "class"]),
    (Col::Hukou, &["户籍", "hukou"]),
    (Col::Dibao, &["低保", "dibao"]),
    (Col::Disability, &["残疾等级", "disabilitygrade"]),
    (Col::Ncms, &["新农合", "ncms"]),
];

/// The template a school fills in: the header row.
pub const TEMPLATE_CSV: &str = "身份证号,姓名,班级,户籍,低保,残疾等级,新农合\r\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Col {
    IdNumber,
    Name,
    Class,
    Hukou,
    Dibao,
    Disability,
    Ncms,
}

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Mode {
    /// Check every row and report; write no pupil.
        DryRun = "dry_run",
    /// Check every row and write the good ones.
        Import = "import",
    }
}

/// A roster file as read: its header and its data rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<SourceRow>,
}

/// A data row: its row number in the file (the header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// A row that cannot be imported, with every reason found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    pub line: u32,
    pub id_number: String,
    pub name: String,
    pub reasons: Vec<String>,
    /// The row as the file had it, for the download of bad rows.
    pub cells: Vec<String>,
}

/// What a check or import found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub run_id: i64,
    pub mode: Mode,
    pub policy_year: i32,
    pub file_name: String,
    pub file_sha256: String,
    pub rows_total: i64,
    /// Rows imported; in a dry run, the rows that an import would write.
    pub rows_imported: i64,
    /// Rows whose pupil this school already enrolled for the year.
    pub rows_already: i64,
    pub header: Vec<String>,
    pub bad: Vec<BadRow>,
    /// The dry run this import was made from.
    pub from_run: Option<i64>,
    pub created_at: i64,
}

policy::coded! {
    /// Why a pupil stops being the school's (E17).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Leaving {
        Graduated = "graduated",
        Left = "left",
    }
}
