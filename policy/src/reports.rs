//! Statistical reports as the 信息统计管理规定 runs them (T4–T16), without
//! I/O: the periods reports are kept for and when each falls due (T4–T6,
//! T8), the check of a draft against the previous period (T9), the three
//! sign-offs before submission (T10), and what a table may show when it is
//! published (T16): small counts, and any count that could be recovered from
//! the margins by subtraction, are suppressed.
//!
//! The thresholds (how large a change needs an explanation, how small a
//! published count is hidden, how many days after a period a report is due)
//! are the league's settings, passed in; nothing here is a constant of the
//! rules.

use std::fmt;

pub mod figures;
pub mod schedule;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

crate::coded! {
    /// How often a report is kept (T4: monthly, quarterly, half-yearly,
    /// yearly; the league may add a weekly return, 周报).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Frequency {
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        HalfYearly = "half_yearly",
        Yearly = "yearly",
    }
}

impl Frequency {
    /// How many periods of this frequency a year has (ISO weeks: 52 or 53).
    pub fn periods_in(self, year: i32) -> u32 {
        match self {
            Frequency::Weekly => {
                // 28 December always lies in the last ISO week of its year.
                NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
            }
            Frequency::Monthly => 12,
            Frequency::Quarterly => 4,
            Frequency::HalfYearly => 2,
            Frequency::Yearly => 1,
        }
    }

    fn months(self) -> u32 {
        match self {
            Frequency::Weekly | Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::HalfYearly => 6,
            Frequency::Yearly => 12,
        }
    }
}

/// Why a report operation cannot be done.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("no such period: {0:?} {1}-{2}")]
    NoSuchPeriod(Frequency, i32, u32),
    /// T10: the three signatures are three different people.
    #[error("the same person cannot sign a report twice")]
    SamePerson,
    /// T10: the preparer first, then the section head, then the agency head.
    #[error("{0} signs after {1}")]
    OutOfOrder(SignOff, SignOff),
    #[error("{0} has already signed")]
    AlreadySigned(SignOff),
    /// T9: a change beyond the threshold needs its written explanation.
    #[error("the change of {0} needs an explanation")]
    Unexplained(String),
}

/// One period of a frequency: the 3rd month of 2027, the 1st quarter, the
/// 2nd half, ISO week 5. `index` counts from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub frequency: Frequency,
    pub year: i32,
    pub index: u32,
}

impl Period {
    pub fn new(frequency: Frequency, year: i32, index: u32) -> Result<Period, ReportError> {
        let p = Period {
            frequency,
            year,
            index,
        };
        let valid = (1..=frequency.periods_in(year)).contains(&index)
            && NaiveDate::from_ymd_opt(year, 1, 1).is_some();
        valid
            .then_some(p)
            .ok_or(ReportError::NoSuchPeriod(frequency, year, index))
    }

    /// The period of `frequency` that `day` falls in (a weekly period by the
    /// ISO year of its week).
    pub fn containing(frequency: Frequency, day: NaiveDate) -> Period {
        let (year, index) = match frequency {
            Frequency::Weekly => (day.iso_week().year(), day.iso_week().week()),
            f => (day.year(), (day.month() - 1) / f.months() + 1),
        };
        Period {
            frequency,
            year,
            index,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        match self.frequency {
            Frequency::Weekly => NaiveDate::from_isoywd_opt(self.year, self.index, Weekday::Mon)
                .unwrap_or(NaiveDate::MIN),
            f => {
                let month = (self.index - 1) * f.months() + 1;
                NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN)
            }
        }
    }

    pub fn last_day(&self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    pub fn next(&self) -> Period {
        if self.index < self.frequency.periods_in(self.year) {
            Period {
                index: self.index + 1,
                ..*self
            }
        } else {
            Period {
                year: self.year + 1,
                index: 1,
                ..*self
            }
        }
    }

    /// The period the draft is checked against (T9).
    pub fn previous(&self) -> Period {
        if self.index > 1 {
            Period {
                index: self.index - 1,
                ..*self
            }
        } else {
            let year = self.year - 1;
            Period {
                year,
                index: self.frequency.periods_in(year),
                ..*self
            }
        }
    }

    /// The day the report of this period is due (T10: "按照规定的时间"):
    /// `lag_days` after the period ends, as the league set it.
    pub fn due(&self, lag_days: u32) -> NaiveDate {
        self.last_day() + Duration::days(i64::from(lag_days))
    }

    /// Whether `day` falls in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }
}

impl std::str::FromStr for Period {
    type Err = ReportError;

    /// Reads what [`Period`]'s `Display` writes: `2027`, `2027-H1`,
    /// `2027-Q3`, `2027-03`, `2027-W05`.
    fn from_str(s: &str) -> Result<Period, ReportError> {
        let bad = || ReportError::NoSuchPeriod(Frequency::Yearly, 0, 0);
        let s = s.trim();
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number = |t: &str| t.parse::<u32>().map_err(|_| bad());
        let (frequency, index) = match rest {
            None => (Frequency::Yearly, 1),
            Some(r) => match r.split_at_checked(1) {
                Some(("H", i)) => (Frequency::HalfYearly, number(i)?),
                Some(("Q", i)) => (Frequency::Quarterly, number(i)?),
                Some(("W", i)) => (Frequency::Weekly, number(i)?),
                _ => (Frequency::Monthly, number(r)?),
            },
        };
        Period::new(frequency, year, index)
    }
}

impl fmt::Display for Period {
    /// `2027`, `2027-H1`, `2027-Q3`, `2027-03`, `2027-W05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, i) = (self.year, self.index);
        match self.frequency {
            Frequency::Yearly => write!(f, "{y}"),
            Frequency::HalfYearly => write!(f, "{y}-H{i}"),
            Frequency::Quarterly => write!(f, "{y}-Q{i}"),
            Frequency::Monthly => write!(f, "{y}-{i:02}"),
            Frequency::Weekly => write!(f, "{y}-W{i:02}"),
        }
    }
}

/// One figure of a draft beside the same figure of the previous period
/// (T9), with its change in per cent (one decimal, half-up) and whether the
/// change is beyond the threshold and so needs a written explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub key: String,
    pub before: Option<i64>,
    pub after: i64,
    /// None when there is nothing to compare with, or it was 0.
    pub percent: Option<Decimal>,
    pub flagged: bool,
}

/// Every figure of `current` against `previous` (T9: "审核本期统计报表数据与
/// 前期统计报表数据的相关性和逻辑性,查找差异情况"). A figure that appears from
/// nothing is flagged as well: there is no ratio to trust.
pub fn compare(
    previous: &[(String, i64)],
    current: &[(String, i64)],
    threshold_percent: Decimal,
) -> Vec<Change> {
    current
        .iter()
        .map(|(key, after)| {
            let before = previous.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
            let percent = before.filter(|b| *b != 0).map(|b| {
                (Decimal::from(*after - b) * Decimal::ONE_HUNDRED / Decimal::from(b))
                    .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
            });
            let flagged = match (before, percent) {
                (_, Some(p)) => p.abs() > threshold_percent,
                (Some(0), None) | (None, None) => *after != 0,
                (Some(_), None) => false,
            };
            Change {
                key: key.clone(),
                before,
                after: *after,
                percent,
                flagged,
            }
        })
        .collect()
}

/// A draft may be signed only when every flagged change has its written
/// explanation (T9: "发现数据异常后…查清原因").
pub fn explained(changes: &[Change], explanations: &[(String, String)]) -> Result<(), ReportError> {
    for c in changes.iter().filter(|c| c.flagged) {
        let has = explanations
            .iter()
            .any(|(k, text)| k == &c.key && !text.trim().is_empty());
        if !has {
            return Err(ReportError::Unexplained(c.key.clone()));
        }
    }
    Ok(())
}

crate::coded! {
    /// The three signatures a report needs before it is submitted (T10:
    /// 填表人, 科(股)室负责人, 医保经办机构负责人), in this order.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SignOff {
        Preparer = "preparer",
        SectionHead = "section_head",
        AgencyHead = "agency_head",
    }
}

impl fmt::Display for SignOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Who has signed a report so far (user ids).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffs {
    pub preparer: Option<i64>,
    pub section_head: Option<i64>,
    pub agency_head: Option<i64>,
}

impl SignOffs {
    fn slot(&self, role: SignOff) -> Option<i64> {
        match role {
            SignOff::Preparer => self.preparer,
            SignOff::SectionHead => self.section_head,
            SignOff::AgencyHead => self.agency_head,
        }
    }

    /// The signature still missing first, if any.
    pub fn next(&self) -> Option<SignOff> {
        SignOff::ALL
            .iter()
            .copied()
            .find(|r| self.slot(*r).is_none())
    }

    /// All three have signed: the report may be submitted, and then never
    /// changes.
    pub fn complete(&self) -> bool {
        self.next().is_none()
    }

    /// `user` signs as `role`: in order, and never a second time.
    pub fn sign(&self, role: SignOff, user: i64) -> Result<SignOffs, ReportError> {
        if self.slot(role).is_some() {
            return Err(ReportError::AlreadySigned(role));
        }
        if let Some(missing) = self.next().filter(|m| *m != role) {
            return Err(ReportError::OutOfOrder(role, missing));
        }
        if SignOff::ALL.iter().any(|r| self.slot(*r) == Some(user)) {
            return Err(ReportError::SamePerson);
        }
        let mut s = *self;
        match role {
            SignOff::Preparer => s.preparer = Some(user),
            SignOff::SectionHead => s.section_head = Some(user),
            SignOff::AgencyHead => s.agency_head = Some(user),
        }
        Ok(s)
    }
}

/// A cell of a published table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Shown(u64),
    /// Hidden: too small to publish, or recoverable from the others.
    Suppressed,
}

/// A table as published: its cells, each row's total (last column), each
/// column's total (last row) and the grand total, with the cells that may
/// not be shown suppressed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// `rows + 1` lines of `columns + 1` cells: the margins last.
    pub cells: Vec<Vec<Cell>>,
}

/// What a table of counts may show (T16, and the public notice): every
/// count from 1 to `threshold - 1` is hidden (a total too), and then, so
/// that no hidden count can be recovered by subtraction, every line (a row
/// or a column, its total included) that hides exactly one cell hides one
/// more: the smallest other count in it, a cell before its total. Zeros are
/// shown: "nobody" identifies no one.
pub fn publishable(counts: &[Vec<u64>], threshold: u64) -> Published {
    let columns = counts.iter().map(Vec::len).max().unwrap_or(0);
    let rows = counts.len();
    // The table with its margins: rows + 1 by columns + 1.
    let mut m = vec![vec![0u64; columns + 1]; rows + 1];
    for (i, row) in counts.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            set(&mut m, i, j, *v);
            add(&mut m, i, columns, *v);
            add(&mut m, rows, j, *v);
            add(&mut m, rows, columns, *v);
        }
    }
    let mut hidden: Vec<Vec<bool>> = m
        .iter()
        .map(|line| line.iter().map(|v| *v > 0 && *v < threshold).collect())
        .collect();
    // Each pass hides at least one more cell or stops: at most every cell.
    loop {
        let mut changed = false;
        for i in 0..=rows {
            let line: Vec<(usize, usize)> = (0..=columns).map(|j| (i, j)).collect();
            changed |= complement(&m, &mut hidden, &line);
        }
        for j in 0..=columns {
            let line: Vec<(usize, usize)> = (0..=rows).map(|i| (i, j)).collect();
            changed |= complement(&m, &mut hidden, &line);
        }
        if !changed {
            break;
        }
    }
    let cells = m
        .iter()
        .zip(&hidden)
        .map(|(line, h)| {
            line.iter()
                .zip(h)
                .map(|(v, h)| {
                    if *h {
                        Cell::Suppressed
                    } else {
                        Cell::Shown(*v)
                    }
                })
                .collect()
        })
        .collect();
    Published { cells }
}

fn at(m: &[Vec<u64>], i: usize, j: usize) -> u64 {
    m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0)
}

fn set(m: &mut [Vec<u64>], i: usize, j: usize, v: u64) {
    if let Some(c) = m.get_mut(i).and_then(|r| r.get_mut(j)) {
        *c = v;
    }
}

fn add(m: &mut [Vec<u64>], i: usize, j: usize, v: u64) {
    set(m, i, j, at(m, i, j) + v);
}

fn is_hidden(h: &[Vec<bool>], i: usize, j: usize) -> bool {
    h.get(i).and_then(|r| r.get(j)).copied().unwrap_or(false)
}

/// If `line` (the cells of one row or column, its total last) hides exactly
/// one cell, hides a second: the smallest count above zero before the
/// total, else the smallest at all, the total last of all.
fn complement(m: &[Vec<u64>], hidden: &mut [Vec<bool>], line: &[(usize, usize)]) -> bool {
    let count = line
        .iter()
        .filter(|(i, j)| is_hidden(hidden, *i, *j))
        .count();
    if count != 1 {
        return false;
    }
    let total = line.len().saturating_sub(1);
    let pick = line
        .iter()
        .enumerate()
        .filter(|(_, (i, j))| !is_hidden(hidden, *i, *j))
        .min_by_key(|(k, (i, j))| {
            let v = at(m, *i, *j);
            (*k == total, v == 0, v)
        })
        .map(|(_, c)| *c);
    match pick.and_then(|(i, j)| hidden.get_mut(i).and_then(|r| r.get_mut(j))) {
        Some(h) => {
            *h = true;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests;
