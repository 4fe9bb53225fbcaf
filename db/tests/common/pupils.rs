//! Made-up pupils for roster tests and the roster benchmark: valid identity
//! numbers (region 152201, born 2008 on, distinct for every n) and roster
//! files holding them.

/// The identity number of made-up pupil `n` (n < 900 000).
pub fn pupil_id(n: u32) -> String {
    let born = chrono::NaiveDate::from_ymd_opt(2008, 1, 1).unwrap_or_default()
        + chrono::Days::new(u64::from(n / 900));
    let first17 = format!("152201{}{:03}", born.format("%Y%m%d"), n % 900 + 100);
    let check = policy::idcard::check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

pub fn pupil_name(n: u32) -> String {
    format!("学生{n}")
}

pub const HEADER: &str = "身份证号,姓名,班级,户籍,低保,残疾等级,新农合";

/// A roster CSV (UTF-8) of pupils `from .. from + count`, local hukou, no 低保.
pub fn roster_csv(from: u32, count: u32) -> String {
    let mut s = format!("{HEADER}\r\n");
    for n in from..from + count {
        s.push_str(&format!(
            "{},{},{}年级{}班,本地,否,,否\r\n",
            pupil_id(n),
            pupil_name(n),
            n % 6 + 1,
            n % 4 + 1
        ));
    }
    s
}
