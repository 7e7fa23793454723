//! Expiry dates: reading the labels printed on packs, and the one rule for when a batch expires.
//!
//! **The expiry rule.** A batch is usable *on* its expiry date and expired from the next day:
//! `is_expired(expiry, on) == (on > expiry)`. A label that prints only a month (`EXP 06/2027`,
//! `JUN 2027`) means the last day of that month, so that batch is usable through 2027-06-30.

use chrono::NaiveDate;

use crate::error::{CoreError, Result};

/// Whether a batch with this expiry date is expired on `on` (usable on the expiry day itself).
pub fn is_expired(expiry: NaiveDate, on: NaiveDate) -> bool {
    on > expiry
}

/// Whole days of shelf life left at `on`: 0 on the expiry day, negative once expired.
pub fn remaining_shelf_life_days(expiry: NaiveDate, on: NaiveDate) -> i64 {
    (expiry - on).num_days()
}

/// The last day of a month.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Years outside this range are refused as typos (`06/0207`, `2207-01-01`).
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1970..=2199;

/// Reads an expiry label as printed on a pack.
///
/// Accepted forms (an `EXP`, `EXP.`, `EXPIRY` or `EXP DATE` prefix and `:` are ignored, case too):
/// - month labels, meaning the **last day** of that month: `06/2027`, `6/2027`, `06-2027`,
///   `06/27` (20xx), `2027-06`, `JUN 2027`, `Jun-2027`, `JUN/27`, `JUNE 2027`;
/// - full dates, meaning that day: `2027-06-15` (ISO) and `15/06/2027` (day first, as printed
///   in India and Europe).
pub fn parse_expiry(label: &str) -> Result<NaiveDate> {
    let err = |reason: &str| CoreError::InvalidDate {
        input: label.to_string(),
        reason: reason.to_string(),
    };
    let mut s = label.trim().to_ascii_uppercase();
    for prefix in ["EXPIRY DATE", "EXP DATE", "EXPIRY", "EXP.", "EXP"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start_matches([':', ' ', '.']).to_string();
            break;
        }
    }
    let s = s.trim();
    if s.is_empty() {
        return Err(err("empty label"));
    }
    let parts: Vec<&str> = s
        .split(['/', '-', ' ', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &str| -> Option<u32> {
        (p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let year = |p: &str| -> Result<i32> {
        let y = num(p).ok_or_else(|| err("year is not a number"))?;
        let y = match p.len() {
            2 => 2000 + y as i32,
            4 => y as i32,
            _ => return Err(err("year must have 2 or 4 digits")),
        };
        if YEAR_RANGE.contains(&y) {
            Ok(y)
        } else {
            Err(err("year out of range 1970..=2199"))
        }
    };
    let month_name = |p: &str| -> Option<u32> {
        if p.len() < 3 {
            return None;
        }
        MONTHS
            .iter()
            .position(|m| p.starts_with(m) && full_month_prefix(p, m))
            .map(|i| i as u32 + 1)
    };
    let month_end = |y: i32, m: u32| -> Result<NaiveDate> {
        if !(1..=12).contains(&m) {
            return Err(err("month must be 1 to 12"));
        }
        end_of_month(y, m).ok_or_else(|| err("no such month"))
    };
    match parts.as_slice() {
        [a, b] => {
            if let Some(m) = month_name(a) {
                month_end(year(b)?, m)
            } else if a.len() == 4 {
                // 2027-06
                let m = num(b).ok_or_else(|| err("month is not a number"))?;
                month_end(year(a)?, m)
            } else {
                let m = num(a).ok_or_else(|| err("month is not a number or a month name"))?;
                month_end(year(b)?, m)
            }
        }
        [a, b, c] => {
            let (y, m, d) = if a.len() == 4 {
                (year(a)?, num(b), num(c))
            } else if month_name(b).is_some() {
                (year(c)?, month_name(b), num(a))
            } else {
                (year(c)?, num(b), num(a))
            };
            let (m, d) = m
                .zip(d)
                .ok_or_else(|| err("day or month is not a number"))?;
            NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| err("no such day"))
        }
        _ => Err(err(
            "expected MM/YYYY, MON YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY",
        )),
    }
}

fn full_month_prefix(p: &str, abbrev: &str) -> bool {
    const FULL: [&str; 12] = [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "MAY",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ];
    p == abbrev
        || FULL
            .iter()
            .any(|f| f.starts_with(abbrev) && f.starts_with(p))
        || (abbrev == "SEP" && p == "SEPT")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn usable_on_expiry_day_expired_the_day_after() {
        let exp = d(2027, 6, 30);
        assert!(!is_expired(exp, d(2027, 6, 29)));
        assert!(!is_expired(exp, exp));
        assert!(is_expired(exp, d(2027, 7, 1)));
        assert_eq!(remaining_shelf_life_days(exp, exp), 0);
        assert_eq!(remaining_shelf_life_days(exp, d(2027, 7, 1)), -1);
    }

    #[test]
    fn month_labels_mean_the_last_day_of_the_month() {
        for label in [
            "06/2027",
            "6/2027",
            "06-2027",
            "06/27",
            "2027-06",
            "JUN 2027",
            "Jun-2027",
            "jun/27",
            "JUNE 2027",
            "EXP 06/2027",
            "EXP. JUN 2027",
            "Exp: 06/2027",
        ] {
            assert_eq!(parse_expiry(label).unwrap(), d(2027, 6, 30), "{label}");
        }
        assert_eq!(parse_expiry("02/2028").unwrap(), d(2028, 2, 29));
        assert_eq!(parse_expiry("02/2027").unwrap(), d(2027, 2, 28));
        assert_eq!(parse_expiry("DEC 2027").unwrap(), d(2027, 12, 31));
        assert_eq!(parse_expiry("SEPT 2027").unwrap(), d(2027, 9, 30));
    }

    #[test]
    fn full_dates_mean_that_day() {
        assert_eq!(parse_expiry("2027-06-15").unwrap(), d(2027, 6, 15));
        assert_eq!(parse_expiry("15/06/2027").unwrap(), d(2027, 6, 15));
        assert_eq!(parse_expiry("15 JUN 2027").unwrap(), d(2027, 6, 15));
    }

    #[test]
    fn impossible_labels_are_refused() {
        for label in [
            "",
            "EXP",
            "13/2027",
            "00/2027",
            "2027-02-30",
            "JUNK 2027",
            "06/0207",
            "6/2027/1/1",
            "JU 2027",
            "06/20277",
        ] {
            assert!(parse_expiry(label).is_err(), "{label:?} should be refused");
        }
    }
}
