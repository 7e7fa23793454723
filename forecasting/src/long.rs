//! Long format (`unique_id, ds, y`, the statsforecast convention) with calendar dates: rows are
//! grouped by id in order of first appearance, placed on a daily, weekly or monthly grid from
//! each series' first date, and periods with no row are gaps (no recorded sale, zero demand
//! by the input conventions of [`crate::models`]). Forecast dates continue the grid.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Result, bad_series, invalid};

/// The spacing of a series' periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// One period per day.
    Day,
    /// One period per 7 days.
    Week,
    /// One period per month, on the same day of the month as the first (month ends clamp:
    /// a series starting on the 31st has February's last day).
    Month,
}

impl Frequency {
    /// The date `k` periods after `start`.
    pub fn step(self, start: NaiveDate, k: u32) -> Option<NaiveDate> {
        match self {
            Frequency::Day => start.checked_add_days(Days::new(k.into())),
            Frequency::Week => start.checked_add_days(Days::new(7 * u64::from(k))),
            Frequency::Month => start.checked_add_months(Months::new(k)),
        }
    }

    /// The period of `d` counted from `start`, if `d` is on the grid.
    pub fn index(self, start: NaiveDate, d: NaiveDate) -> Option<usize> {
        let days = (d - start).num_days();
        if days < 0 {
            return None;
        }
        let k = match self {
            Frequency::Day => days,
            Frequency::Week if days % 7 == 0 => days / 7,
            Frequency::Week => return None,
            Frequency::Month => {
                i64::from(d.year() - start.year()) * 12 + i64::from(d.month())
                    - i64::from(start.month())
            }
        };
        let k = u32::try_from(k).ok()?;
        (self.step(start, k) == Some(d)).then_some(k as usize)
    }
}

/// One observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LongRow {
    /// Series id.
    pub unique_id: String,
    /// Period date.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub ds: NaiveDate,
    /// Demand (none: missing, counted as no sale).
    pub y: Option<f64>,
}

/// A series taken from long format.
#[derive(Debug, Clone, PartialEq)]
pub struct LongSeries {
    /// Series id.
    pub unique_id: String,
    /// Date of the first period.
    pub start: NaiveDate,
    /// Values per period, `NaN` for gaps and missing values.
    pub y: Vec<f64>,
}

/// At most this many periods in one series (about 270 years of days).
pub const MAX_PERIODS: usize = 100_000;

/// Groups rows into series on the grid of `freq`. Refuses a date off the grid and the same
/// (id, date) twice.
pub fn series_from_long(rows: &[LongRow], freq: Frequency) -> Result<Vec<LongSeries>> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_id: std::collections::HashMap<&str, Vec<&LongRow>> = Default::default();
    for r in rows {
        by_id
            .entry(r.unique_id.as_str())
            .or_insert_with(|| {
                order.push(r.unique_id.as_str());
                Vec::new()
            })
            .push(r);
    }
    order
        .into_iter()
        .map(|id| {
            let rs = &by_id[id];
            let start = rs.iter().map(|r| r.ds).min().unwrap_or_default();
            let mut y: Vec<f64> = Vec::new();
            for r in rs {
                let k = freq.index(start, r.ds).ok_or_else(|| {
                    invalid(format!(
                        "series {id}: {} is not on the {freq:?} grid from {start}",
                        r.ds
                    ))
                })?;
                if k >= MAX_PERIODS {
                    return Err(bad_series(format!(
                        "series {id}: more than {MAX_PERIODS} periods"
                    )));
                }
                if k >= y.len() {
                    y.resize(k + 1, f64::NAN);
                } else if !y[k].is_nan() || rs.iter().filter(|o| o.ds == r.ds).count() > 1 {
                    return Err(invalid(format!("series {id}: {} appears twice", r.ds)));
                }
                y[k] = r.y.unwrap_or(f64::NAN);
            }
            Ok(LongSeries {
                unique_id: id.to_string(),
                start,
                y,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn grid_gaps_and_errors() {
        let row = |id: &str, ds: &str, y: f64| LongRow {
            unique_id: id.into(),
            ds: d(ds),
            y: Some(y),
        };
        let rows = vec![
            row("b", "2026-03-01", 4.0),
            row("a", "2026-01-31", 1.0),
            row("a", "2026-03-31", 3.0),
        ];
        let s = series_from_long(&rows, Frequency::Month).unwrap();
        assert_eq!(s[0].unique_id, "b");
        assert_eq!(s[1].start, d("2026-01-31"));
        assert!(s[1].y[1].is_nan() && s[1].y[2] == 3.0);
        assert_eq!(
            Frequency::Month.step(d("2026-01-31"), 1),
            Some(d("2026-02-28"))
        );
        let off = vec![row("a", "2026-01-01", 1.0), row("a", "2026-01-09", 1.0)];
        assert!(series_from_long(&off, Frequency::Week).is_err());
        let twice = vec![row("a", "2026-01-01", 1.0), row("a", "2026-01-01", 2.0)];
        assert!(series_from_long(&twice, Frequency::Day).is_err());
    }
}
