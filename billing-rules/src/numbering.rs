//! Gapless invoice numbering per series and fiscal year: `INV/2026-27/00042`. The caller
//! stores the last number issued; this module formats the next one, parses numbers back and
//! audits a sequence for gaps and duplicates.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};

fn default_start() -> i32 {
    4
}
fn default_width() -> i32 {
    5
}

/// A numbering series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceSeries {
    /// Letters, digits and `-` (e.g. `INV`, `CN`, `S1-INV`).
    pub prefix: String,
    /// First month of the fiscal year: 4 in India (April), 1 for calendar years.
    #[serde(default = "default_start")]
    pub fiscal_year_start_month: i32,
    /// Zero-padded width of the sequence number.
    #[serde(default = "default_width")]
    pub width: i32,
}

/// An invoice number and its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceNumber {
    /// `INV/2026-27/00042`.
    pub number: String,
    /// `2026-27` (or `2026` for calendar fiscal years).
    pub fiscal_year: String,
    /// 42.
    pub sequence: i64,
}

/// One fiscal year of a sequence audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearSequence {
    /// Fiscal year label.
    pub fiscal_year: String,
    /// Numbers seen.
    pub count: i64,
    /// Lowest sequence seen.
    pub first: i64,
    /// Highest sequence seen.
    pub last: i64,
    /// Sequence numbers between `first` and `last` never seen.
    pub missing: Vec<i64>,
    /// Sequence numbers seen more than once.
    pub duplicates: Vec<i64>,
}

/// The result of auditing numbers of one series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SequenceReport {
    /// No gaps and no duplicates in any year.
    pub gapless: bool,
    /// Per fiscal year, oldest first.
    pub years: Vec<YearSequence>,
}

impl InvoiceSeries {
    fn validate(&self) -> Result<()> {
        let ok = !self.prefix.is_empty()
            && self.prefix.len() <= 16
            && self
                .prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok {
            return Err(BillingError::InvalidInput(format!(
                "series prefix {:?} must be 1 to 16 letters, digits or '-'",
                self.prefix
            )));
        }
        if !(1..=12).contains(&self.fiscal_year_start_month) {
            return Err(BillingError::InvalidInput(format!(
                "fiscal_year_start_month {} must be 1 to 12",
                self.fiscal_year_start_month
            )));
        }
        if !(1..=12).contains(&self.width) {
            return Err(BillingError::InvalidInput(format!(
                "width {} must be 1 to 12",
                self.width
            )));
        }
        Ok(())
    }

    /// The fiscal year label of a date: `2026-27` for 2026-11-22 with an April start.
    pub fn fiscal_year(&self, date: NaiveDate) -> Result<String> {
        self.validate()?;
        Ok(fiscal_year(date, self.fiscal_year_start_month as u32))
    }

    /// Formats sequence number `seq` of the fiscal year of `date`.
    pub fn format(&self, date: NaiveDate, seq: i64) -> Result<InvoiceNumber> {
        self.validate()?;
        let fy = fiscal_year(date, self.fiscal_year_start_month as u32);
        self.make(fy, seq)
    }

    fn make(&self, fiscal_year: String, seq: i64) -> Result<InvoiceNumber> {
        let width = self.width as usize;
        if seq < 1 || seq.to_string().len() > width {
            return Err(BillingError::InvalidInvoiceNumber {
                number: seq.to_string(),
                why: format!("sequence must be 1 to {} digits", width),
            });
        }
        Ok(InvoiceNumber {
            number: format!("{}/{}/{:0width$}", self.prefix, fiscal_year, seq),
            fiscal_year,
            sequence: seq,
        })
    }

    /// Reads a number of this series back into its parts.
    pub fn parse(&self, number: &str) -> Result<InvoiceNumber> {
        self.validate()?;
        let bad = |why: &str| BillingError::InvalidInvoiceNumber {
            number: number.to_string(),
            why: why.to_string(),
        };
        let mut parts = number.split('/');
        let (Some(prefix), Some(fy), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected PREFIX/FISCAL-YEAR/SEQUENCE"));
        };
        if prefix != self.prefix {
            return Err(bad(&format!("not of series {:?}", self.prefix)));
        }
        if seq.len() != self.width as usize || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(&format!("sequence must be {} digits", self.width)));
        }
        let start =
            fy_start(fy, self.fiscal_year_start_month).ok_or_else(|| bad("bad fiscal year"))?;
        let _ = start;
        let seq: i64 = seq.parse().map_err(|_| bad("bad sequence"))?;
        if seq < 1 {
            return Err(bad("sequence starts at 1"));
        }
        Ok(InvoiceNumber {
            number: number.to_string(),
            fiscal_year: fy.to_string(),
            sequence: seq,
        })
    }

    /// The number to issue on `date`, given the last number issued in this series (`None` for
    /// the first ever). A new fiscal year starts again at 1. Refuses a date in a fiscal year
    /// before the last number's.
    pub fn next(&self, date: NaiveDate, last: Option<&str>) -> Result<InvoiceNumber> {
        self.validate()?;
        let fy = fiscal_year(date, self.fiscal_year_start_month as u32);
        let Some(last) = last else {
            return self.make(fy, 1);
        };
        let last = self.parse(last)?;
        let order = |label: &str| fy_start(label, self.fiscal_year_start_month).unwrap_or(0);
        match order(&fy).cmp(&order(&last.fiscal_year)) {
            std::cmp::Ordering::Greater => self.make(fy, 1),
            std::cmp::Ordering::Equal => self.make(fy, last.sequence + 1),
            std::cmp::Ordering::Less => Err(BillingError::InvalidInvoiceNumber {
                number: last.number,
                why: format!("is of a later fiscal year than {date} ({fy})"),
            }),
        }
    }

    /// Audits numbers of this series (in any order) for gaps and duplicates per fiscal year,
    /// between the lowest and highest number seen in each year. A whole year's audit also
    /// checks that `first` is 1; a day's audit, that it follows the previous day's `last`.
    pub fn check(&self, numbers: &[String]) -> Result<SequenceReport> {
        let mut parsed = numbers
            .iter()
            .map(|n| self.parse(n))
            .collect::<Result<Vec<_>>>()?;
        parsed.sort_by_key(|n| {
            (
                fy_start(&n.fiscal_year, self.fiscal_year_start_month).unwrap_or(0),
                n.sequence,
            )
        });
        let mut years: Vec<YearSequence> = Vec::new();
        for n in parsed {
            match years.last_mut() {
                Some(y) if y.fiscal_year == n.fiscal_year => {
                    if n.sequence == y.last {
                        if y.duplicates.last() != Some(&n.sequence) {
                            y.duplicates.push(n.sequence);
                        }
                    } else {
                        y.missing.extend(y.last + 1..n.sequence);
                        y.last = n.sequence;
                    }
                    y.count += 1;
                }
                _ => years.push(YearSequence {
                    fiscal_year: n.fiscal_year,
                    count: 1,
                    first: n.sequence,
                    last: n.sequence,
                    missing: Vec::new(),
                    duplicates: Vec::new(),
                }),
            }
        }
        Ok(SequenceReport {
            gapless: years
                .iter()
                .all(|y| y.missing.is_empty() && y.duplicates.is_empty()),
            years,
        })
    }
}

/// `2026-27` for a date in the fiscal year starting in April 2026; `2026` when it starts in
/// January.
pub fn fiscal_year(date: NaiveDate, start_month: u32) -> String {
    if start_month <= 1 {
        return date.year().to_string();
    }
    let start = if date.month() >= start_month {
        date.year()
    } else {
        date.year() - 1
    };
    format!("{start}-{:02}", (start + 1).rem_euclid(100))
}

/// The starting year of a fiscal-year label, checked against the series' form.
fn fy_start(label: &str, start_month: i32) -> Option<i32> {
    if start_month == 1 {
        return label.parse().ok().filter(|_| label.len() == 4);
    }
    let (a, b) = label.split_once('-')?;
    let y: i32 = a.parse().ok().filter(|_| a.len() == 4)?;
    (b.len() == 2 && b.parse::<i32>().ok()? == (y + 1).rem_euclid(100)).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn inv() -> InvoiceSeries {
        InvoiceSeries {
            prefix: "INV".into(),
            fiscal_year_start_month: 4,
            width: 5,
        }
    }

    #[test]
    fn fiscal_year_turns_on_the_first_of_april() {
        assert_eq!(fiscal_year(d("2026-03-31"), 4), "2025-26");
        assert_eq!(fiscal_year(d("2026-04-01"), 4), "2026-27");
        assert_eq!(fiscal_year(d("2099-12-01"), 4), "2099-00");
        assert_eq!(fiscal_year(d("2026-04-01"), 1), "2026");
    }

    #[test]
    fn next_continues_then_restarts_in_a_new_year() {
        let s = inv();
        assert_eq!(
            s.next(d("2026-11-22"), None).unwrap().number,
            "INV/2026-27/00001"
        );
        assert_eq!(
            s.next(d("2026-11-22"), Some("INV/2026-27/00041"))
                .unwrap()
                .number,
            "INV/2026-27/00042"
        );
        assert_eq!(
            s.next(d("2027-04-01"), Some("INV/2026-27/00041"))
                .unwrap()
                .number,
            "INV/2027-28/00001"
        );
        assert!(s.next(d("2026-03-31"), Some("INV/2026-27/00041")).is_err());
        assert!(s.next(d("2026-11-22"), Some("CN/2026-27/00041")).is_err());
        assert!(s.next(d("2026-11-22"), Some("INV/2026-27/99999")).is_err());
    }

    #[test]
    fn audit_finds_gaps_and_duplicates() {
        let nums: Vec<String> = [
            "INV/2026-27/00003",
            "INV/2026-27/00001",
            "INV/2026-27/00003",
            "INV/2027-28/00001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let r = inv().check(&nums).unwrap();
        assert!(!r.gapless);
        assert_eq!(r.years[0].missing, vec![2]);
        assert_eq!(r.years[0].duplicates, vec![3]);
        assert!(r.years[1].missing.is_empty());
    }
}
