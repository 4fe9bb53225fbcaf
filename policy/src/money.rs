//! Money as a whole number of fen (分), and the one rounding rule.
//!
//! Amounts are never floating point: a `Money` is an `i64` of fen, ratios are
//! [`Decimal`], and a computed amount becomes `Money` only through
//! [`round_half_up`], once, at the end of each formula (四舍五入 to the fen).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in fen. Displays and serialises as yuan with two decimals
/// (`"130.00"`).
///
/// Arithmetic saturates instead of overflowing: real amounts are many orders
/// of magnitude below `i64::MAX` fen, and a saturated sum is visibly wrong
/// where a panic in the middle of a batch would stop every other answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Text that is not an amount of yuan.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not an amount in yuan with at most two decimals (\"130.00\"): {0:?}")]
    Malformed(String),
    #[error("amount out of range (at most 1,000,000,000,000 yuan): {0:?}")]
    OutOfRange(String),
}

/// Text amounts are capped at 10^12 yuan, so that sums of a few of them
/// stay exact in both `i64` and `Decimal`.
const MAX_TEXT_FEN: i64 = 100_000_000_000_000;

impl Money {
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    pub const fn zero() -> Money {
        Money(0)
    }

    /// Whole yuan, for parameters and tests.
    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan.saturating_mul(100))
    }

    /// Parses `"130"`, `"130.5"` or `"130.00"` (optionally with a leading
    /// `-`). More than two decimals is an error rather than a silent
    /// rounding: an input amount is already in fen.
    pub fn from_yuan_str(text: &str) -> Result<Money, MoneyError> {
        let malformed = || MoneyError::Malformed(text.to_owned());
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed());
        }
        let mut fen: i64 = 0;
        for b in whole.bytes() {
            fen = fen
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(b - b'0')))
                .ok_or_else(|| MoneyError::OutOfRange(text.to_owned()))?;
        }
        fen = fen
            .checked_mul(100)
            .ok_or_else(|| MoneyError::OutOfRange(text.to_owned()))?;
        if let Some(fraction) = fraction {
            let digits = fraction.as_bytes();
            if digits.is_empty() || digits.len() > 2 || !digits.iter().all(u8::is_ascii_digit) {
                return Err(malformed());
            }
            let mut cents: i64 = 0;
            for (i, b) in digits.iter().enumerate() {
                let weight = if i == 0 { 10 } else { 1 };
                cents += i64::from(b - b'0') * weight;
            }
            fen = fen
                .checked_add(cents)
                .ok_or_else(|| MoneyError::OutOfRange(text.to_owned()))?;
        }
        if fen > MAX_TEXT_FEN {
            return Err(MoneyError::OutOfRange(text.to_owned()));
        }
        Ok(Money(if negative { -fen } else { fen }))
    }

    /// The exact value in yuan, for formulas.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `max(self, 0)`: the "(x)⁺" of the formulas.
    pub fn positive_part(self) -> Money {
        Money(self.0.max(0))
    }

    pub const fn saturating_mul(self, factor: i64) -> Money {
        Money(self.0.saturating_mul(factor))
    }
}

/// Rounds a computed amount in yuan to the fen, halves away from zero
/// (四舍五入). Every formula of the rules calls this exactly once, on its
/// final value; all those values are non-negative, where "away from zero" and
/// "half up" are the same thing.
///
/// A value beyond the range of `i64` fen saturates (it cannot come from
/// amounts accepted as text).
pub fn round_half_up(yuan: Decimal) -> Money {
    let fen = yuan
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|f| f.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .and_then(|f| f.to_i64());
    match fen {
        Some(fen) => Money(fen),
        None if yuan.is_sign_negative() => Money(i64::MIN),
        None => Money(i64::MAX),
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, other: Money) {
        *self = *self - other;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::zero(), Add::add)
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        Money::from_yuan_str(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        struct YuanText;
        impl Visitor<'_> for YuanText {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount in yuan as a string with two decimals, like \"130.00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::from_yuan_str(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(YuanText)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_and_displays_two_decimals() {
        for (text, fen, shown) in [
            ("130.00", 13_000, "130.00"),
            ("130", 13_000, "130.00"),
            ("130.5", 13_050, "130.50"),
            ("0.01", 1, "0.01"),
            ("-1.50", -150, "-1.50"),
            ("0", 0, "0.00"),
            ("007.07", 707, "7.07"),
        ] {
            let m = Money::from_yuan_str(text).unwrap();
            assert_eq!(m.fen(), fen, "{text}");
            assert_eq!(m.to_string(), shown, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for text in [
            "", "-", ".5", "1.", "1.234", "1,00", "+1", "1e3", " 1", "1 ", "１", "NaN",
        ] {
            assert!(Money::from_yuan_str(text).is_err(), "{text:?} accepted");
        }
        assert!(matches!(
            Money::from_yuan_str("99999999999999999999"),
            Err(MoneyError::OutOfRange(_))
        ));
        assert!(matches!(
            Money::from_yuan_str("1000000000000.01"),
            Err(MoneyError::OutOfRange(_))
        ));
        assert!(Money::from_yuan_str("1000000000000.00").is_ok());
    }

    #[test]
    fn rounds_half_up_to_the_fen() {
        assert_eq!(round_half_up(dec!(459.008)).fen(), 45_901);
        assert_eq!(round_half_up(dec!(0.005)).fen(), 1);
        assert_eq!(round_half_up(dec!(0.00499999)).fen(), 0);
        assert_eq!(round_half_up(dec!(2.675)).fen(), 268);
        assert_eq!(round_half_up(dec!(1.00)).fen(), 100);
        assert_eq!(round_half_up(dec!(-0.005)).fen(), -1);
        assert_eq!(round_half_up(Decimal::MAX).fen(), i64::MAX);
        assert_eq!(round_half_up(Decimal::MIN).fen(), i64::MIN);
    }

    #[test]
    fn arithmetic_saturates_and_orders() {
        assert_eq!(
            Money::from_fen(i64::MAX) + Money::from_fen(1),
            Money::from_fen(i64::MAX)
        );
        assert_eq!(
            Money::from_fen(i64::MIN) - Money::from_fen(1),
            Money::from_fen(i64::MIN)
        );
        assert!(Money::from_yuan(2) > Money::from_yuan(1));
        assert_eq!(Money::from_fen(-5).positive_part(), Money::zero());
        assert_eq!(
            [Money::from_yuan(1), Money::from_fen(50)]
                .into_iter()
                .sum::<Money>(),
            Money::from_fen(150)
        );
        assert_eq!(
            Money::from_fen(i64::MIN).to_string(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn serde_is_the_yuan_string() {
        let m: Money = serde_json::from_str("\"5820.00\"").unwrap();
        assert_eq!(m, Money::from_yuan(5820));
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"5820.00\"");
        assert!(serde_json::from_str::<Money>("5820").is_err());
        assert!(serde_json::from_str::<Money>("\"5820.001\"").is_err());
    }
}
