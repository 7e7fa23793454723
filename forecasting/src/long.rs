//! Long format (`unique_id, ds, y`, the statsforecast convention) with calendar dates: rows are
//! grouped by id in order of first appearance, placed on a daily, weekly, monthly, quarterly or
//! yearly grid from each series' first date, and periods with no row are gaps (no recorded
//! sale, zero demand by the input conventions of [`crate::models`]). Forecast dates continue
//! the grid. Rows come as records ([`series_from_long`]) or as columns ([`Columns`], what a
//! DataFrame holds), whose grid can also be inferred ([`infer_frequency`]).

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
    /// a series starting on the 31st has February's last day). A series whose first date is
    /// the last day of its month lies on month ends (pandas' `ME`): from 28 February 2026,
    /// 31 March, 30 April.
    Month,
    /// One period per three months, on the same day of the month as the first (or on month
    /// ends, as for `Month`).
    Quarter,
    /// One period per year, on the same day as the first (29 February clamps to the 28th; a
    /// series from 28 February of a common year lies on February's last days).
    Year,
}

impl Frequency {
    /// The date `k` periods after `start`.
    pub fn step(self, start: NaiveDate, k: u32) -> Option<NaiveDate> {
        let months = match self {
            Frequency::Day => return start.checked_add_days(Days::new(k.into())),
            Frequency::Week => return start.checked_add_days(Days::new(7 * u64::from(k))),
            Frequency::Month => k,
            Frequency::Quarter => k.checked_mul(3)?,
            Frequency::Year => k.checked_mul(12)?,
        };
        let d = start.checked_add_months(Months::new(months))?;
        if Day::of(start).is_month_end() {
            d.with_day(u32::from(d.num_days_in_month()))
        } else {
            Some(d)
        }
    }

    /// Months per period (none for days and weeks).
    fn months(self) -> Option<i64> {
        match self {
            Frequency::Day | Frequency::Week => None,
            Frequency::Month => Some(1),
            Frequency::Quarter => Some(3),
            Frequency::Year => Some(12),
        }
    }

    /// The period of `d` counted from `start`, if `d` is on the grid.
    pub fn index(self, start: NaiveDate, d: NaiveDate) -> Option<usize> {
        self.index_of(Day::of(start), Day::of(d))
    }

    fn index_of(self, start: Day, d: Day) -> Option<usize> {
        let days = i64::from(d.epoch) - i64::from(start.epoch);
        if days < 0 {
            return None;
        }
        let k = match self {
            Frequency::Day => days,
            Frequency::Week if days % 7 == 0 => days / 7,
            Frequency::Week => return None,
            Frequency::Month | Frequency::Quarter | Frequency::Year => {
                let months = i64::from(d.month) - i64::from(start.month);
                let per = self.months().unwrap_or(1);
                // The `months`-th month from `start` keeps its day, clamped to the month's
                // end, or is the month's end if `start` is: what `step` gives, without
                // building the date.
                let day = if start.is_month_end() {
                    d.month_len
                } else {
                    start.day.min(d.month_len)
                };
                if months % per != 0 || d.day != day {
                    return None;
                }
                months / per
            }
        };
        usize::try_from(u32::try_from(k).ok()?).ok()
    }
}

/// A date as the grid reads it.
#[derive(Debug, Clone, Copy)]
struct Day {
    /// Days since 1970-01-01.
    epoch: i32,
    /// Months since year 0 (`year × 12 + month − 1`).
    month: i32,
    /// Day of the month.
    day: u8,
    /// Days in its month.
    month_len: u8,
}

impl Day {
    fn of(d: NaiveDate) -> Day {
        Day {
            epoch: d.to_epoch_days(),
            month: d.year() * 12 + d.month0() as i32,
            day: d.day() as u8,
            month_len: d.num_days_in_month(),
        }
    }

    fn is_month_end(self) -> bool {
        self.day == self.month_len
    }
}

/// The [`Day`] of every date in a column's range, each computed once: a long frame repeats a
/// few hundred dates over thousands of series.
struct Calendar {
    lo: i32,
    days: Vec<Day>,
}

impl Calendar {
    /// The table of `days`' range; none if a date is out of range or the range is much wider
    /// than the column (then each row converts its own date).
    fn new(days: &[i32]) -> Result<Calendar> {
        // Folds that vectorise (`Iterator::min` keeps a branch per value).
        let lo = days.iter().fold(i32::MAX, |m, d| m.min(*d));
        let hi = days.iter().fold(i32::MIN, |m, d| m.max(*d));
        Calendar::spanning(lo, hi, days.len())
    }

    /// The table from `lo` to `hi`, the least and greatest of `rows` dates (none if there are
    /// no rows).
    fn spanning(lo: i32, hi: i32, rows: usize) -> Result<Calendar> {
        if rows == 0 {
            return Ok(Calendar {
                lo: 0,
                days: Vec::new(),
            });
        }
        for d in [lo, hi] {
            date_of(d).ok_or_else(|| invalid(format!("day {d} is out of range")))?;
        }
        let width = i64::from(hi) - i64::from(lo) + 1;
        if width > 4 * rows as i64 + 4096 {
            return Ok(Calendar {
                lo,
                days: Vec::new(),
            });
        }
        let first = date_of(lo).unwrap_or_default();
        let days = first
            .iter_days()
            .take(width as usize)
            .map(Day::of)
            .collect();
        Ok(Calendar { lo, days })
    }

    fn get(&self, d: i32) -> Day {
        match usize::try_from(i64::from(d) - i64::from(self.lo)) {
            Ok(i) if i < self.days.len() => self.days[i],
            // Checked in range by `new` (every date lies between the two it checked).
            _ => Day::of(date_of(d).unwrap_or_default()),
        }
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

/// A long frame as columns: per row, its series (`0..n_series`, numbered by the caller in order
/// of first appearance), its date as days since 1970-01-01 and its value (`NaN`: missing).
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a, 'y> {
    /// Series number of each row.
    pub series: &'a [u32],
    /// Number of series.
    pub n_series: usize,
    /// Date of each row, days since 1970-01-01.
    pub days: &'a [i32],
    /// Value of each row.
    pub y: &'y [f64],
}

/// One series of a [`Columns`] frame on its grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridSeries<'a> {
    /// Date of the first period.
    pub start: NaiveDate,
    /// First row of the series in the input (where its id is read).
    pub first_row: usize,
    /// Values per period, `NaN` for gaps and missing values.
    pub y: std::borrow::Cow<'a, [f64]>,
}

/// The date `days` after 1970-01-01.
pub fn date_of(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_epoch_days(days)
}

/// Days since 1970-01-01.
pub fn days_of(d: NaiveDate) -> i32 {
    d.to_epoch_days()
}

impl Columns<'_, '_> {
    /// An error unless the three columns have one length.
    fn check(&self) -> Result<()> {
        let n = self.series.len();
        if self.days.len() != n || self.y.len() != n {
            return Err(invalid(format!(
                "columns of {n}, {} and {} rows",
                self.days.len(),
                self.y.len()
            )));
        }
        Ok(())
    }

    /// An error unless every series number is below the number of series.
    fn check_numbers(&self) -> Result<()> {
        // The largest number, in a pass that vectorises, then the offending one if any.
        let top = self.series.iter().fold(0u32, |m, s| m.max(*s));
        if !self.series.is_empty() && top as usize >= self.n_series {
            return Err(invalid(format!("series number {top} of {}", self.n_series)));
        }
        Ok(())
    }

    /// Each series' first date and first row, and whether the series are runs of rows numbered
    /// 0, 1, … in increasing date order (a frame sorted by id and date).
    /// Checks the series numbers where they are not such runs (runs are numbered 0, 1, … up to
    /// the last series by construction).
    fn starts(&self) -> Result<(Vec<i32>, Vec<usize>, bool)> {
        if let Some((start, first)) = self.run_starts() {
            return Ok((start, first, true));
        }
        self.check_numbers()?;
        // Not runs (`run_starts` checked): each series' earliest date and row, row by row.
        let mut start = vec![i32::MAX; self.n_series];
        let mut first = vec![usize::MAX; self.n_series];
        for (row, (&s, &d)) in self.series.iter().zip(self.days).enumerate() {
            let i = s as usize;
            start[i] = start[i].min(d);
            first[i] = first[i].min(row);
        }
        Ok((start, first, false))
    }

    /// Each series' first date and first row if the series are runs of rows numbered 0, 1, …
    /// in increasing date order: read at each run's first row, without a store per row.
    fn run_starts(&self) -> Option<(Vec<i32>, Vec<usize>)> {
        let (series, days) = (self.series, self.days);
        let ordered = series.len() == days.len()
            && series.first().is_none_or(|s| *s == 0)
            && {
                // Same series and a later date, or the next series: counted over blocks, so
                // that the pass vectorises.
                let pairs = series.len().saturating_sub(1);
                let (s0, s1) = (&series[..pairs], &series[series.len().min(1)..]);
                let (d0, d1) = (&days[..pairs], &days[days.len().min(1)..]);
                let bad: usize = s0
                    .iter()
                    .zip(s1)
                    .zip(d0.iter().zip(d1))
                    .map(|((a, b), (c, d))| {
                        usize::from(!((*b == *a) & (*d > *c) | (*b == a.wrapping_add(1))))
                    })
                    .sum();
                bad == 0
            }
            && series.last().map_or(0, |s| *s as usize + 1) == self.n_series;
        if !ordered {
            return None;
        }
        let mut start = Vec::with_capacity(self.n_series);
        let mut first = Vec::with_capacity(self.n_series);
        let mut prev = u32::MAX;
        // Each row's number is the row before's or the next: a block of rows ending on the
        // number before it holds that number throughout and starts no series (one comparison
        // for most blocks of a frame of series longer than a block).
        const BLOCK: usize = 16;
        for (b, block) in series.chunks(BLOCK).enumerate() {
            if block.last() == Some(&prev) {
                continue;
            }
            for (i, &s) in block.iter().enumerate() {
                if s != prev {
                    let row = b * BLOCK + i;
                    start.push(days[row]);
                    first.push(row);
                    prev = s;
                }
            }
        }
        Some((start, first))
    }

    /// Whether every row lies on the grid of `freq` from its series' first date.
    fn fits(&self, freq: Frequency, start: &[i32], cal: &Calendar) -> bool {
        self.series.iter().zip(self.days).all(|(&s, &d)| {
            let from = start[s as usize];
            match freq {
                Frequency::Day => true,
                Frequency::Week => (d - from) % 7 == 0,
                _ => freq.index_of(cal.get(from), cal.get(d)).is_some(),
            }
        })
    }
}

/// The coarsest grid every series lies on: year, quarter, month, week, else day. Needs one
/// series with two dates.
pub fn infer_frequency(cols: Columns<'_, '_>) -> Result<Frequency> {
    Grid::new(cols)?.infer()
}

/// Places every row of `cols` on the grid of `freq`, series in their numbering order. Refuses
/// a date off the grid and a series' date given twice.
pub fn series_from_columns<'y>(
    cols: Columns<'_, 'y>,
    freq: Frequency,
) -> Result<Vec<GridSeries<'y>>> {
    Grid::new(cols)?.place(freq)
}

/// The first dates of the grid of one frequency from each start met, in days, each computed
/// once: the series of a long frame mostly share a few starts.
struct Grids {
    freq: Frequency,
    dates: Vec<(i32, Vec<i32>)>,
    index: std::collections::HashMap<i32, usize>,
    /// The entry used last (series sharing a start are usually neighbours).
    last: usize,
}

impl Grids {
    fn new(freq: Frequency) -> Self {
        Grids {
            freq,
            dates: Vec::new(),
            index: std::collections::HashMap::new(),
            last: usize::MAX,
        }
    }

    /// The grid's first `n` dates from `start`; none if one is out of range.
    fn first(&mut self, start: i32, n: usize) -> Option<&[i32]> {
        let i = match self.dates.get(self.last) {
            Some((s, _)) if *s == start => self.last,
            _ => *self.index.entry(start).or_insert_with(|| {
                self.dates.push((start, Vec::new()));
                self.dates.len() - 1
            }),
        };
        self.last = i;
        let freq = self.freq;
        let dates = &mut self.dates[i].1;
        if dates.len() < n {
            let from = date_of(start)?;
            for k in dates.len()..n {
                dates.push(days_of(freq.step(from, u32::try_from(k).ok()?)?));
            }
        }
        dates.get(..n)
    }
}

/// The frequencies [`Grid::infer`] tries, coarsest first (else days).
const COARSEST_FIRST: [Frequency; 4] = [
    Frequency::Year,
    Frequency::Quarter,
    Frequency::Month,
    Frequency::Week,
];

/// A [`Columns`] frame checked, with its calendar and each series' start read once, for
/// inferring its frequency and placing it on a grid without reading the dates twice.
pub struct Grid<'a, 'y> {
    cols: Columns<'a, 'y>,
    cal: Calendar,
    start: Vec<i32>,
    first: Vec<usize>,
    /// Each series' rows are one run in increasing date order (see [`Columns::starts`]).
    runs: bool,
}

impl<'a, 'y> Grid<'a, 'y> {
    /// Checks the columns' lengths and series numbers and reads the calendar.
    pub fn new(cols: Columns<'a, 'y>) -> Result<Grid<'a, 'y>> {
        cols.check()?;
        let (start, first, runs) = cols.starts()?;
        Self::with_starts(cols, start, first, runs)
    }

    /// [`Grid::new`] where the series numbers are only a guess (a dictionary's keys, which
    /// number the series themselves when the frame is sorted): the grid if the rows are runs
    /// numbered 0, 1, … up to `n_series − 1` in increasing date order (see [`Columns::starts`]),
    /// else `None` (the caller then numbers the series and calls [`Grid::new`]), without the
    /// pass that checks numbers a frame of runs does not need.
    pub fn of_runs(cols: Columns<'a, 'y>) -> Result<Option<Grid<'a, 'y>>> {
        cols.check()?;
        match cols.run_starts() {
            Some((start, first)) => Self::with_starts(cols, start, first, true).map(Some),
            None => Ok(None),
        }
    }

    fn with_starts(
        cols: Columns<'a, 'y>,
        start: Vec<i32>,
        first: Vec<usize>,
        runs: bool,
    ) -> Result<Grid<'a, 'y>> {
        let cal = if runs {
            // Each run's dates increase: the least date is a run's first, the greatest a
            // run's last, without reading every row again.
            let rows = cols.days.len();
            let lo = start.iter().fold(i32::MAX, |m, d| m.min(*d));
            let hi = first
                .iter()
                .skip(1)
                .chain([&rows])
                .fold(i32::MIN, |m, &end| m.max(cols.days[end - 1]));
            Calendar::spanning(lo, hi, rows)?
        } else {
            Calendar::new(cols.days)?
        };
        Ok(Grid {
            cols,
            cal,
            start,
            first,
            runs,
        })
    }

    /// An error unless some series has two dates (needed to infer a frequency).
    pub fn can_infer(&self) -> Result<()> {
        let (cols, start) = (&self.cols, &self.start);
        let spread = cols
            .series
            .iter()
            .zip(cols.days)
            .any(|(&s, &d)| d != start[s as usize]);
        if spread {
            Ok(())
        } else {
            Err(invalid(
                "the frequency cannot be inferred: no series has two dates (pass freq)",
            ))
        }
    }

    /// [`infer_frequency`].
    pub fn infer(&self) -> Result<Frequency> {
        self.can_infer()?;
        Ok(COARSEST_FIRST
            .into_iter()
            .find(|f| self.cols.fits(*f, &self.start, &self.cal))
            .unwrap_or(Frequency::Day))
    }

    /// [`infer`](Self::infer) then [`place`](Self::place), reading the rows once for the
    /// frequency found instead of once more: the first frequency, coarsest first, whose grid
    /// every row lies on is the one `infer` finds, and its periods are kept. Does not check
    /// [`can_infer`](Self::can_infer).
    pub fn place_inferred(&self) -> Result<(Frequency, Vec<GridSeries<'y>>)> {
        for f in COARSEST_FIRST {
            if let Some(series) = self.place_runs(f)? {
                return Ok((f, series));
            }
            if let Ok(periods) = self.periods(f)? {
                return Ok((f, self.fill(periods)?));
            }
        }
        self.place(Frequency::Day).map(|s| (Frequency::Day, s))
    }

    /// [`series_from_columns`].
    pub fn place(&self, freq: Frequency) -> Result<Vec<GridSeries<'y>>> {
        if let Some(series) = self.place_runs(freq)? {
            return Ok(series);
        }
        match self.periods(freq)? {
            Ok(periods) => self.fill(periods),
            Err(row) => {
                let (s, d) = (self.cols.series[row] as usize, self.cols.days[row]);
                let date = date_of(d).map_or_else(|| format!("day {d}"), |d| d.to_string());
                let start = date_of(self.start[s]).map_or_else(String::new, |d| d.to_string());
                Err(invalid(format!(
                    "row {}: {date} is not on the {freq:?} grid from {start}",
                    self.first[s]
                )))
            }
        }
    }

    /// The series of a frame whose series are runs in date order (most frames), placed in one
    /// pass without a period per row or a check for repeated dates (increasing dates are
    /// distinct periods). None when the frame is not so laid out, or a row is off the grid or
    /// past [`MAX_PERIODS`]: [`periods`](Self::periods) then finds which.
    fn place_runs(&self, freq: Frequency) -> Result<Option<Vec<GridSeries<'y>>>> {
        if !self.runs {
            return Ok(None);
        }
        let (cols, cal) = (&self.cols, &self.cal);
        let rows = cols.days.len();
        let mut out = Vec::with_capacity(self.start.len());
        let mut grids = Grids::new(freq);
        for (s, (&start, &from)) in self.start.iter().zip(&self.first).enumerate() {
            let to = self.first.get(s + 1).copied().unwrap_or(rows);
            let (days, y) = (&cols.days[from..to], &cols.y[from..to]);
            // Most series hold every period from their start: their dates equal the grid's
            // first dates, one comparison of two slices instead of a period per row, and the
            // values are read in place.
            let y = if days.len() <= MAX_PERIODS && grids.first(start, days.len()) == Some(days) {
                std::borrow::Cow::Borrowed(y)
            } else {
                let first = cal.get(start);
                let Some(last) = days.last().and_then(|&d| freq.index_of(first, cal.get(d))) else {
                    return Ok(None);
                };
                if last >= MAX_PERIODS {
                    return Ok(None);
                }
                let mut placed = vec![f64::NAN; last + 1];
                for (&d, &v) in days.iter().zip(y) {
                    match freq
                        .index_of(first, cal.get(d))
                        .and_then(|k| placed.get_mut(k))
                    {
                        Some(slot) => *slot = v,
                        None => return Ok(None),
                    }
                }
                std::borrow::Cow::Owned(placed)
            };
            out.push(GridSeries {
                start: date_of(start)
                    .ok_or_else(|| invalid(format!("day {start} is out of range")))?,
                first_row: from,
                y,
            });
        }
        Ok(Some(out))
    }

    /// Each row's period on the grid of `freq`, or the first row off it.
    fn periods(&self, freq: Frequency) -> Result<std::result::Result<Vec<usize>, usize>> {
        let (cols, cal) = (&self.cols, &self.cal);
        let starts: Vec<Day> = self.start.iter().map(|&s| cal.get(s)).collect();
        let mut period = Vec::with_capacity(cols.days.len());
        for (row, (&s, &d)) in cols.series.iter().zip(cols.days).enumerate() {
            let s = s as usize;
            let Some(k) = freq.index_of(starts[s], cal.get(d)) else {
                return Ok(Err(row));
            };
            if k >= MAX_PERIODS {
                return Err(bad_series(format!(
                    "the series of row {}: more than {MAX_PERIODS} periods",
                    self.first[s]
                )));
            }
            period.push(k);
        }
        Ok(Ok(period))
    }

    /// The series with each row at its period; refuses a period given twice.
    fn fill(&self, period: Vec<usize>) -> Result<Vec<GridSeries<'y>>> {
        let cols = &self.cols;
        let mut len = vec![0usize; self.start.len()];
        for (&s, &k) in cols.series.iter().zip(&period) {
            let s = s as usize;
            len[s] = len[s].max(k + 1);
        }
        let mut out: Vec<GridSeries<'y>> = self
            .start
            .iter()
            .zip(&self.first)
            .zip(&len)
            .map(|((&s, &row), &n)| {
                Ok(GridSeries {
                    start: date_of(s).ok_or_else(|| invalid(format!("day {s} is out of range")))?,
                    first_row: row,
                    y: std::borrow::Cow::Owned(vec![f64::NAN; n]),
                })
            })
            .collect::<Result<_>>()?;
        // One flag per period of every series, series after series (one allocation).
        let mut offset = Vec::with_capacity(len.len());
        let mut total = 0usize;
        for &n in &len {
            offset.push(total);
            total += n;
        }
        let mut seen = vec![false; total];
        for (((&s, &d), &v), &k) in cols.series.iter().zip(cols.days).zip(cols.y).zip(&period) {
            let s = s as usize;
            if std::mem::replace(&mut seen[offset[s] + k], true) {
                let g = &out[s];
                let date = date_of(d).map_or_else(|| format!("day {d}"), |d| d.to_string());
                return Err(invalid(format!(
                    "the series of row {}: {date} appears twice",
                    g.first_row
                )));
            }
            out[s].y.to_mut()[k] = v;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn index_is_the_inverse_of_step_and_nothing_else_is_on_the_grid() {
        let freqs = [
            Frequency::Day,
            Frequency::Week,
            Frequency::Month,
            Frequency::Quarter,
            Frequency::Year,
        ];
        for start in [
            "2024-01-31",
            "2024-02-29",
            "2023-03-30",
            "2026-12-01",
            "2025-05-28",
            "2026-02-28",
            "2026-04-30",
            "2027-02-28",
        ] {
            let start = d(start);
            for f in freqs {
                let on: Vec<NaiveDate> = (0..40).filter_map(|k| f.step(start, k)).collect();
                for k in 0..1500 {
                    let day = start + chrono::TimeDelta::days(k);
                    let expect = on.iter().position(|x| *x == day);
                    if day <= *on.last().unwrap() {
                        assert_eq!(f.index(start, day), expect, "{f:?} from {start}: {day}");
                    }
                }
            }
        }
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

    fn cols<'a>(series: &'a [u32], days: &'a [i32], y: &'a [f64]) -> Columns<'a, 'a> {
        Columns {
            series,
            n_series: 1 + *series.iter().max().unwrap_or(&0) as usize,
            days,
            y,
        }
    }

    #[test]
    fn placing_while_inferring_equals_inferring_then_placing() {
        let dd = |s: &str| days_of(d(s));
        let sets: [(&[u32], Vec<i32>); 6] = [
            (
                &[0, 0, 0],
                vec![dd("2025-01-01"), dd("2025-07-01"), dd("2025-04-01")],
            ),
            (
                &[0, 0, 0],
                vec![dd("2025-01-31"), dd("2025-02-28"), dd("2025-03-31")],
            ),
            (
                &[0, 0, 1, 1],
                vec![
                    dd("2025-01-06"),
                    dd("2025-01-20"),
                    dd("2025-01-07"),
                    dd("2025-01-14"),
                ],
            ),
            (
                &[0, 0, 1],
                vec![dd("2025-01-06"), dd("2025-01-09"), dd("2025-03-01")],
            ),
            (
                &[0, 1, 0],
                vec![dd("2024-02-29"), dd("2025-05-31"), dd("2028-02-29")],
            ),
            (
                &[0, 0, 0],
                vec![dd("2025-03-01"), dd("2025-03-01"), dd("2025-04-01")],
            ),
        ];
        for (series, days) in &sets {
            let y = vec![1.0; days.len()];
            let g = Grid::new(cols(series, days, &y)).unwrap();
            let f = g.infer().unwrap();
            match (g.place(f), g.place_inferred()) {
                // Debug, not ==: gaps are NaN.
                (Ok(a), Ok((f2, b))) => assert_eq!(format!("{f:?} {a:?}"), format!("{f2:?} {b:?}")),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{days:?}: {a:?} against {b:?}"),
            }
        }
    }

    #[test]
    fn inference_takes_the_coarsest_grid() {
        let dd = |s: &str| days_of(d(s));
        let q = [dd("2025-01-01"), dd("2025-07-01"), dd("2025-04-01")];
        assert_eq!(
            infer_frequency(cols(&[0, 0, 0], &q, &[1.0; 3])).unwrap(),
            Frequency::Quarter
        );
        let m = [dd("2025-01-31"), dd("2025-02-28"), dd("2025-03-31")];
        assert_eq!(
            infer_frequency(cols(&[0, 0, 0], &m, &[1.0; 3])).unwrap(),
            Frequency::Month
        );
        // Month ends from a short month: pandas' `ME`.
        let me = [
            dd("2026-02-28"),
            dd("2026-03-31"),
            dd("2026-04-30"),
            dd("2026-05-31"),
        ];
        let g = Grid::new(cols(&[0; 4], &me, &[1.0; 4])).unwrap();
        assert_eq!(g.infer().unwrap(), Frequency::Month);
        assert_eq!(g.place(Frequency::Month).unwrap()[0].y.len(), 4);
        assert_eq!(
            Frequency::Month.step(d("2026-02-28"), 1),
            Some(d("2026-03-31"))
        );
        assert_eq!(
            Frequency::Year.step(d("2027-02-28"), 1),
            Some(d("2028-02-29"))
        );
        let qe = [dd("2025-06-30"), dd("2025-09-30"), dd("2025-12-31")];
        assert_eq!(
            infer_frequency(cols(&[0; 3], &qe, &[1.0; 3])).unwrap(),
            Frequency::Quarter
        );
        let w = [
            dd("2025-01-06"),
            dd("2025-01-20"),
            dd("2025-01-07"),
            dd("2025-01-14"),
        ];
        assert_eq!(
            infer_frequency(cols(&[0, 0, 1, 1], &w, &[1.0; 4])).unwrap(),
            Frequency::Week
        );
        let x = [dd("2025-01-06"), dd("2025-01-08")];
        assert_eq!(
            infer_frequency(cols(&[0, 0], &x, &[1.0; 2])).unwrap(),
            Frequency::Day
        );
        assert!(infer_frequency(cols(&[0, 1], &x, &[1.0; 2])).is_err());
    }

    #[test]
    fn columns_on_the_grid() {
        let dd = |s: &str| days_of(d(s));
        let days = [dd("2025-01-03"), dd("2025-01-01"), dd("2025-02-01")];
        let s =
            series_from_columns(cols(&[0, 0, 1], &days, &[3.0, 1.0, 7.0]), Frequency::Day).unwrap();
        assert_eq!(s[0].start, d("2025-01-01"));
        assert_eq!((s[0].y[0], s[0].y[2], s[0].first_row), (1.0, 3.0, 0));
        assert!(s[0].y[1].is_nan());
        assert_eq!((s[1].y.to_vec(), s[1].first_row), (vec![7.0], 2));
        let twice = [dd("2025-01-01"), dd("2025-01-01")];
        let e = series_from_columns(cols(&[0, 0], &twice, &[1.0, f64::NAN]), Frequency::Day);
        assert!(e.unwrap_err().to_string().contains("twice"));
        let off = series_from_columns(cols(&[0, 0], &days[..2], &[1.0; 2]), Frequency::Week);
        assert!(
            off.unwrap_err()
                .to_string()
                .contains("not on the Week grid")
        );
        assert_eq!(date_of(days_of(d("2026-12-02"))), Some(d("2026-12-02")));
    }

    /// The general placement (a period per row, then the fill), as the runs' fast path must
    /// equal it.
    fn general<'y>(g: &Grid<'_, 'y>, f: Frequency) -> Result<Vec<GridSeries<'y>>> {
        match g.periods(f)? {
            Ok(p) => g.fill(p),
            Err(row) => Err(invalid(format!("row {row} off the grid"))),
        }
    }

    proptest::proptest! {
        #[test]
        fn sorted_runs_place_as_the_general_path_does(
            lens in proptest::collection::vec(1usize..8, 1..6),
            steps in proptest::collection::vec(1i32..3, 48),
            starts in proptest::collection::vec(0i32..70, 6),
            freq in 0usize..5,
        ) {
            let f = [Frequency::Day, Frequency::Week, Frequency::Month, Frequency::Quarter,
                     Frequency::Year][freq];
            // Each series a run of dates k₁ < k₂ < … periods from its start (gaps when a step
            // is 2); a step of 0 or an off-grid day where a start is odd, for the misses.
            let base = days_of(d("2024-01-29"));
            let (mut series, mut days) = (Vec::new(), Vec::new());
            let mut i = 0;
            for (s, &n) in lens.iter().enumerate() {
                let start = d("2024-01-29") + chrono::TimeDelta::days(i64::from(starts[s]));
                let mut k = 0u32;
                for _ in 0..n {
                    let day = f.step(start, k).map_or(base, days_of);
                    series.push(s as u32);
                    days.push(day + i32::from(starts[s] % 7 == 3 && k == 2));
                    k += steps[i % steps.len()] as u32;
                    i += 1;
                }
            }
            let y: Vec<f64> = (0..days.len()).map(|v| v as f64).collect();
            let g = Grid::new(cols(&series, &days, &y)).unwrap();
            proptest::prop_assume!(g.runs);
            let fast = g.place_runs(f).unwrap();
            let slow = general(&g, f);
            match (fast, slow) {
                (Some(a), Ok(b)) => proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}")),
                (None, Err(_)) => {}
                (a, b) => proptest::prop_assert!(false, "{:?} against {:?}", a, b),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_frame_of_runs_has_the_calendar_of_all_its_rows(
            runs in proptest::collection::vec(
                (-5_000i32..5_000, proptest::collection::vec(1i32..40, 0..6)), 1..6),
        ) {
            // Each series a run of increasing dates (the calendar then read from the runs'
            // ends), the runs in any order of dates.
            let (mut series, mut days) = (Vec::new(), Vec::new());
            for (s, (start, steps)) in runs.iter().enumerate() {
                let mut d = *start;
                series.push(s as u32);
                days.push(d);
                for step in steps {
                    d += step;
                    series.push(s as u32);
                    days.push(d);
                }
            }
            let y = vec![1.0; days.len()];
            let g = Grid::new(cols(&series, &days, &y)).unwrap();
            proptest::prop_assert!(g.runs);
            let all = Calendar::new(&days).unwrap();
            proptest::prop_assert_eq!((g.cal.lo, g.cal.days.len()), (all.lo, all.days.len()));
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_start_where_their_first_row_is(
            lens in proptest::collection::vec(1usize..40, 1..12),
        ) {
            // Runs shorter and longer than the blocks the starts are looked for in, beginning
            // anywhere in a block: each series' start and first row as read row by row.
            let (mut series, mut days) = (Vec::new(), Vec::new());
            let (mut start, mut first) = (Vec::new(), Vec::new());
            for (s, &n) in lens.iter().enumerate() {
                start.push(s as i32 * 1_000);
                first.push(series.len());
                for k in 0..n {
                    series.push(s as u32);
                    days.push(s as i32 * 1_000 + k as i32);
                }
            }
            let y = vec![1.0; days.len()];
            let g = Grid::new(cols(&series, &days, &y)).unwrap();
            proptest::prop_assert!(g.runs);
            proptest::prop_assert_eq!(&g.start, &start);
            proptest::prop_assert_eq!(&g.first, &first);
        }
    }

    #[test]
    fn a_series_number_past_the_count_is_refused() {
        // Runs in row order and not, with one number past the count of series.
        for series in [[0u32, 1, 2], [2, 0, 1], [0, 0, 5]] {
            let c = Columns {
                series: &series,
                n_series: 2,
                days: &[0, 1, 2],
                y: &[1.0; 3],
            };
            let Err(e) = Grid::new(c) else {
                panic!("{series:?} was read");
            };
            assert!(e.to_string().contains("of 2"), "{series:?}: {e}");
        }
    }

    #[test]
    fn only_runs_numbered_in_row_order_take_the_fast_path() {
        let days = [0, 1, 0, 1];
        for (series, runs) in [
            (&[0, 0, 1, 1], true),
            (&[1, 1, 0, 0], false),
            (&[0, 1, 0, 1], false),
            (&[0, 0, 0, 0], false), // 0 then 1: dates go back
        ] {
            let n = if series.contains(&1) { 2 } else { 1 };
            let c = Columns {
                series,
                n_series: n,
                days: &days,
                y: &[1.0; 4],
            };
            assert_eq!(Grid::new(c).unwrap().runs, runs, "{series:?}");
        }
        // A series numbered but without rows.
        let c = Columns {
            series: &[0, 0],
            n_series: 2,
            days: &[0, 1],
            y: &[1.0; 2],
        };
        assert!(!Grid::new(c).unwrap().runs);
    }
}
