//! The 18-character resident identity number (GB 11643-1999).
//!
//! Layout: 6 digits of region (GB/T 2260), 8 digits of birth date
//! `YYYYMMDD`, 3 digits of sequence (the last one odd for men, even for
//! women), and a check character by ISO 7064 MOD 11-2 (`X` stands for 10).
//!
//! Decisions taken here:
//! - A lowercase `x` is accepted and stored as `X`: people type it, and the
//!   number means the same; [`IdNumber::number`] is always the canonical form,
//!   so one person cannot be registered twice under two spellings.
//! - No surrounding spaces are trimmed: the caller decides what it accepts.
//! - Checks run in this order and the first failure is reported: length,
//!   characters, check character, birth date, region. A mistyped digit is
//!   usually caught by the check character, which says so plainly.
//! - The birth date must be a real calendar date in 1900 or later. Whether
//!   it lies in the future is not checked: that needs a clock, and this crate
//!   has none (the caller may compare with its own "today").
//! - The region is checked at province level against GB/T 2260: 11–15,
//!   21–23, 31–37, 41–46, 50–54, 61–65, plus 81, 82 and 83, which the
//!   residence permits of Hong Kong, Macao and Taiwan residents use in the
//!   same format. 71 (Taiwan) is refused: no mainland ID carries it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Sex {
        Male = "male",
        Female = "female",
    }
}

impl Sex {
    pub fn zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// A checked identity number and what it says about its holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdNumber {
    /// The canonical 18 characters (check character `X` in upper case).
    pub number: String,
    /// The first six digits (GB/T 2260 administrative division).
    pub region_code: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum IdError {
    #[error("an identity number has 18 characters")]
    BadLength,
    #[error("the first 17 characters must be digits and the last a digit or X")]
    BadCharacter,
    #[error("the check character does not match: a character is probably mistyped")]
    BadChecksum,
    #[error("the birth date (characters 7 to 14) is not a real date in 1900 or later")]
    BadBirthDate,
    #[error("the first two digits are not a province code")]
    BadRegion,
}

impl IdError {
    pub fn code(self) -> &'static str {
        match self {
            IdError::BadLength => "bad_length",
            IdError::BadCharacter => "bad_character",
            IdError::BadChecksum => "bad_checksum",
            IdError::BadBirthDate => "bad_birth_date",
            IdError::BadRegion => "bad_region",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            IdError::BadLength => "身份证号码应为18位",
            IdError::BadCharacter => "身份证号码前17位应为数字,最后一位为数字或X",
            IdError::BadChecksum => "身份证号码校验码不符,可能有一位输错",
            IdError::BadBirthDate => "身份证号码中的出生日期(第7至14位)不是1900年以后的有效日期",
            IdError::BadRegion => "身份证号码前两位不是有效的省级行政区划代码",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            IdError::BadLength => "an identity number has 18 characters",
            IdError::BadCharacter => {
                "the first 17 characters must be digits and the last a digit or X"
            }
            IdError::BadChecksum => {
                "the check character does not match: a character is probably mistyped"
            }
            IdError::BadBirthDate => {
                "the birth date (characters 7 to 14) is not a real date in 1900 or later"
            }
            IdError::BadRegion => "the first two digits are not a province code",
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Province-level codes of GB/T 2260 accepted as the first two digits
/// (see the module documentation for 71, 81, 82, 83).
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 81, 82, 83,
];

const EARLIEST_BIRTH_YEAR: i32 = 1900;

fn check_value(body: &[u8; 17]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    // ISO 7064 MOD 11-2: the check value c satisfies (sum + c) ≡ 1 (mod 11).
    ((12 - (sum % 11)) % 11) as u8
}

fn check_char_of(value: u8) -> char {
    match value {
        10 => 'X',
        v => char::from(b'0' + v),
    }
}

fn digits17(text: &str) -> Result<[u8; 17], IdError> {
    let bytes = text.as_bytes();
    if bytes.len() != 17 {
        return Err(if text.chars().count() == 17 {
            IdError::BadCharacter
        } else {
            IdError::BadLength
        });
    }
    let mut digits = [0u8; 17];
    for (slot, &b) in digits.iter_mut().zip(bytes) {
        if !b.is_ascii_digit() {
            return Err(IdError::BadCharacter);
        }
        *slot = b - b'0';
    }
    Ok(digits)
}

/// The check character for the first 17 digits, e.g. to make test numbers.
pub fn check_character(first17: &str) -> Result<char, IdError> {
    digits17(first17).map(|d| check_char_of(check_value(&d)))
}

fn number_from(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 10 + u32::from(d))
}

/// Checks an identity number and reads the birth date and sex from it.
pub fn check(id: &str) -> Result<IdNumber, IdError> {
    if id.chars().count() != 18 {
        return Err(IdError::BadLength);
    }
    let (body, last) = match id.as_bytes().split_last() {
        Some((&last, body)) if id.is_ascii() => (body, last),
        _ => return Err(IdError::BadCharacter),
    };
    let body_text = std::str::from_utf8(body).map_err(|_| IdError::BadCharacter)?;
    let digits = digits17(body_text)?;
    let given = match last {
        b'0'..=b'9' => last - b'0',
        b'X' | b'x' => 10,
        _ => return Err(IdError::BadCharacter),
    };
    if given != check_value(&digits) {
        return Err(IdError::BadChecksum);
    }
    let year = number_from(digits.get(6..10).unwrap_or_default());
    let month = number_from(digits.get(10..12).unwrap_or_default());
    let day = number_from(digits.get(12..14).unwrap_or_default());
    let birth_date = i32::try_from(year)
        .ok()
        .filter(|&y| y >= EARLIEST_BIRTH_YEAR)
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or(IdError::BadBirthDate)?;
    let province = number_from(digits.get(0..2).unwrap_or_default());
    if !PROVINCES.iter().any(|&p| u32::from(p) == province) {
        return Err(IdError::BadRegion);
    }
    let sex = match digits.get(16) {
        Some(d) if d % 2 == 1 => Sex::Male,
        _ => Sex::Female,
    };
    let mut number = String::with_capacity(18);
    number.push_str(body_text);
    number.push(check_char_of(given));
    Ok(IdNumber {
        region_code: body_text.get(0..6).unwrap_or_default().to_owned(),
        number,
        birth_date,
        sex,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(first17: &str) -> String {
        format!("{first17}{}", check_character(first17).unwrap())
    }

    #[test]
    fn reads_birth_date_and_sex() {
        let id = check("152222200712231473").unwrap();
        assert_eq!(
            id.birth_date,
            NaiveDate::from_ymd_opt(2007, 12, 23).unwrap()
        );
        assert_eq!(id.sex, Sex::Male);
        assert_eq!(id.region_code, "152222");
        let id = check("152201195305056422").unwrap();
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1953, 5, 5).unwrap());
    }

    #[test]
    fn check_character_x_is_ten_and_lowercase_is_canonicalised() {
        assert_eq!(check_character("15220219490601641").unwrap(), 'X');
        let upper = check("15220219490601641X").unwrap();
        let lower = check("15220219490601641x").unwrap();
        assert_eq!(upper, lower);
        assert_eq!(lower.number, "15220219490601641X");
        // A well-known published example of the standard.
        assert_eq!(check_character("11010519491231002").unwrap(), 'X');
    }

    #[test]
    fn wrong_check_character_is_bad_checksum() {
        assert_eq!(check("15222220071223147X"), Err(IdError::BadChecksum));
        assert_eq!(check("152222200712231474"), Err(IdError::BadChecksum));
        // Swapping two digits is caught too.
        assert_eq!(check("152222200712231743"), Err(IdError::BadChecksum));
    }

    #[test]
    fn each_error_has_its_code() {
        assert_eq!(check("").unwrap_err().code(), "bad_length");
        assert_eq!(check("15222220071223147").unwrap_err().code(), "bad_length");
        assert_eq!(
            check("1522222007122314733").unwrap_err().code(),
            "bad_length"
        );
        assert_eq!(
            check("15222220071223147A").unwrap_err().code(),
            "bad_character"
        );
        assert_eq!(
            check("1522222007122314-3").unwrap_err().code(),
            "bad_character"
        );
        assert_eq!(
            check("15222220071223147５").unwrap_err().code(),
            "bad_character"
        );
        assert_eq!(
            check("X52222200712231473").unwrap_err().code(),
            "bad_character"
        );
        assert_eq!(
            check(&make("15222220071332147")).unwrap_err().code(),
            "bad_birth_date"
        );
        assert_eq!(
            check(&make("15222220070229147")).unwrap_err().code(),
            "bad_birth_date"
        );
        assert_eq!(
            check(&make("15222218991231147")).unwrap_err().code(),
            "bad_birth_date"
        );
        assert_eq!(
            check(&make("15222220071200147")).unwrap_err().code(),
            "bad_birth_date"
        );
        assert_eq!(
            check(&make("99222220071223147")).unwrap_err().code(),
            "bad_region"
        );
        assert_eq!(
            check(&make("71222220071223147")).unwrap_err().code(),
            "bad_region"
        );
        assert_eq!(
            check(&make("00222220071223147")).unwrap_err().code(),
            "bad_region"
        );
        for e in [
            IdError::BadLength,
            IdError::BadCharacter,
            IdError::BadChecksum,
            IdError::BadBirthDate,
            IdError::BadRegion,
        ] {
            assert!(!e.zh().is_empty() && !e.en().is_empty());
        }
    }

    #[test]
    fn boundaries_of_dates_and_regions() {
        assert!(check(&make("15222219000101147")).is_ok());
        assert!(check(&make("15222220080229147")).is_ok());
        assert!(check(&make("11000019491231002")).is_ok());
        assert!(check(&make("65000019491231002")).is_ok());
        assert!(check(&make("83000019491231002")).is_ok());
        assert!(check(&make("66000019491231002")).is_err());
    }

    #[test]
    fn every_example_id_is_valid_and_agrees_with_its_facts() {
        for (id, birth, sex) in [
            ("152223194906015179", "1949-06-01", Sex::Male),
            ("15220219490601641X", "1949-06-01", Sex::Male),
            ("152222195812316841", "1958-12-31", Sex::Female),
            ("152223195901010365", "1959-01-01", Sex::Female),
            ("15220119460202174X", "1946-02-02", Sex::Female),
            ("152202198903036464", "1989-03-03", Sex::Female),
        ] {
            let checked = check(id).unwrap();
            assert_eq!(checked.birth_date.to_string(), birth);
            assert_eq!(checked.sex, sex);
        }
    }
}
