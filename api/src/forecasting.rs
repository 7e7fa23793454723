//! The forecasting facade: batch forecasts (series lists, long format, a matrix), backtests,
//! demand classes and replenishment suggestions. Every function is stateless and thread-safe;
//! every binding's forecasting methods are one line over these.
//!
//! JSON has no NaN: a missing value is `null` on the way in (a gap: no recorded sale) and a
//! value a model cannot give (the seasonal naive of a series shorter than its season) is
//! `null` on the way out.

use apotheca_forecasting as fc;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use fc::long::{Frequency, LongRow};
pub use fc::{
    ConsumptionReport, ConsumptionRequest, DemandClass, Metrics, MinMax, Model, PeriodBalance,
    PeriodConsumption, SesInitial, StockPosition, Suggestion, WholeRounding, backtest::Pinball,
};

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::guard;

/// Most series in one call, and most values in one series.
pub const MAX_SERIES: usize = 1_000_000;

/// One series: its id and values per period (`null` for missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Series id (a product, or product × store).
    pub id: String,
    /// Demand per period, oldest first.
    pub y: Vec<Option<f64>>,
}

/// What to forecast and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ForecastRequest {
    /// The series.
    pub series: Vec<Series>,
    /// The model (`{"name": "auto_ets", "season": 12}`).
    pub model: Model,
    /// Steps ahead.
    pub horizon: u32,
    /// Interval levels in percent (e.g. `[80, 95]`).
    #[serde(default)]
    pub levels: Vec<f64>,
    /// Whether to return the in-sample one-step forecasts.
    #[serde(default)]
    pub fitted: bool,
}

/// A prediction interval at one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Level in percent.
    pub level: f64,
    /// Lower bound per step.
    pub lo: Vec<Option<f64>>,
    /// Upper bound per step.
    pub hi: Vec<Option<f64>>,
}

/// One series' forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SeriesForecast {
    /// Series id.
    pub id: String,
    /// The model used (what `auto` chose; `ses_optimized` where AutoETS had too few points).
    pub model: Model,
    /// The fitted form, where the model picks one (`ETS(A,Ad,N)`); none otherwise.
    pub method: Option<String>,
    /// Point forecasts per step.
    pub mean: Vec<Option<f64>>,
    /// In-sample one-step forecasts (when asked for), from the first value after padding.
    pub fitted: Vec<Option<f64>>,
    /// Intervals, one per requested level. ETS and regression: normal, from the model's
    /// forecast variance; every other model: empirical quantiles of its in-sample errors.
    pub intervals: Vec<Band>,
}

/// Long-format input: rows of `unique_id, ds, y` on a calendar grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LongForecastRequest {
    /// The observations, in any order.
    pub rows: Vec<LongRow>,
    /// The grid: `day`, `week` or `month`.
    pub freq: Frequency,
    /// The model.
    pub model: Model,
    /// Steps ahead.
    pub horizon: u32,
    /// Interval levels in percent.
    #[serde(default)]
    pub levels: Vec<f64>,
}

/// One forecast period in long format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LongForecastRow {
    /// Series id.
    pub unique_id: String,
    /// Period date, continuing the series' grid.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub ds: NaiveDate,
    /// Point forecast.
    pub mean: Option<f64>,
    /// Lower bounds, one per requested level, in the order asked.
    pub lo: Vec<Option<f64>>,
    /// Upper bounds, likewise.
    pub hi: Vec<Option<f64>>,
}

/// A rolling-origin evaluation of many series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BacktestRequest {
    /// The series.
    pub series: Vec<Series>,
    /// The model.
    pub model: Model,
    /// Number of origins.
    pub windows: u32,
    /// Periods between origins.
    pub step: u32,
    /// Steps forecast from each origin.
    pub horizon: u32,
    /// Season length of the MASE / RMSSE scale (1: the naive scale).
    #[serde(default = "one")]
    pub season: u32,
    /// Levels whose interval bounds get a pinball loss.
    #[serde(default)]
    pub levels: Vec<f64>,
}

fn one() -> u32 {
    1
}

/// One series' backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SeriesBacktest {
    /// Series id.
    pub id: String,
    /// The origins (index of the first forecast period).
    pub origins: Vec<u32>,
    /// Its metrics.
    pub metrics: Metrics,
}

/// Backtest results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BacktestReport {
    /// Per series, in input order.
    pub series: Vec<SeriesBacktest>,
    /// Over every point of every series.
    pub pooled: Metrics,
}

/// One series' demand class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SeriesClass {
    /// Series id.
    pub id: String,
    /// The class.
    pub class: DemandClass,
    /// Average inter-demand interval (none without demand).
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the non-zero demand sizes.
    pub cv2: f64,
    /// Non-zero periods.
    pub demands: u32,
}

/// Point forecasts and intervals of a matrix of series, flat in row-major order (for NumPy).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixForecast {
    /// `rows × horizon` point forecasts (`NaN` where the model has none).
    pub mean: Vec<f64>,
    /// `levels × rows × horizon` lower bounds.
    pub lo: Vec<f64>,
    /// `levels × rows × horizon` upper bounds.
    pub hi: Vec<f64>,
    /// The model used per row.
    pub models: Vec<Model>,
}

fn nan_to_none(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().map(|x| x.is_finite().then_some(*x)).collect()
}

fn values(s: &Series) -> Vec<f64> {
    s.y.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
}

fn in_series(id: &str, e: fc::ForecastError) -> ApiError {
    let mut err = ApiError::from(e);
    err.message = format!("series {id}: {}", err.message);
    err
}

fn check_count(n: usize) -> ApiResult<()> {
    if n > MAX_SERIES {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{n} series in one call; at most {MAX_SERIES}"),
        ));
    }
    Ok(())
}

/// Forecasts every series (in parallel where the build has threads). One bad series fails
/// the call, naming it.
pub fn forecast(request: &ForecastRequest) -> ApiResult<Vec<SeriesForecast>> {
    guard(|| {
        crate::pool::run(|| {
            check_count(request.series.len())?;
            let ys: Vec<Vec<f64>> = request.series.iter().map(values).collect();
            let results = fc::forecast_many(
                &ys,
                request.model,
                request.horizon as usize,
                &request.levels,
                request.fitted,
                None,
            );
            request
                .series
                .iter()
                .zip(results)
                .map(|(s, r)| {
                    let f = r.map_err(|e| in_series(&s.id, e))?;
                    Ok(SeriesForecast {
                        id: s.id.clone(),
                        model: f.model,
                        method: f.method,
                        mean: nan_to_none(&f.mean),
                        fitted: nan_to_none(&f.fitted),
                        intervals: f
                            .intervals
                            .iter()
                            .map(|i| Band {
                                level: i.level,
                                lo: nan_to_none(&i.lo),
                                hi: nan_to_none(&i.hi),
                            })
                            .collect(),
                    })
                })
                .collect()
        })
    })
}

/// Forecasts long-format data; the output is long format too, `horizon` rows per series.
pub fn forecast_long(request: &LongForecastRequest) -> ApiResult<Vec<LongForecastRow>> {
    guard(|| {
        crate::pool::run(|| {
            let long = fc::long::series_from_long(&request.rows, request.freq)?;
            let series: Vec<Series> = long
                .iter()
                .map(|s| Series {
                    id: s.unique_id.clone(),
                    y: s.y.iter().map(|v| v.is_finite().then_some(*v)).collect(),
                })
                .collect();
            let out = forecast(&ForecastRequest {
                series,
                model: request.model,
                horizon: request.horizon,
                levels: request.levels.clone(),
                fitted: false,
            })?;
            let mut rows = Vec::with_capacity(out.len() * request.horizon as usize);
            for (s, f) in long.iter().zip(out) {
                for (k, mean) in f.mean.iter().enumerate() {
                    let period = u32::try_from(s.y.len() + k).unwrap_or(u32::MAX);
                    let ds = request.freq.step(s.start, period).ok_or_else(|| {
                        ApiError::new(ErrorCode::InvalidDate, "forecast dates out of range")
                    })?;
                    rows.push(LongForecastRow {
                        unique_id: s.unique_id.clone(),
                        ds,
                        mean: *mean,
                        lo: f.intervals.iter().map(|b| b.lo[k]).collect(),
                        hi: f.intervals.iter().map(|b| b.hi[k]).collect(),
                    });
                }
            }
            Ok(rows)
        })
    })
}

/// Forecasts the rows of a `rows × cols` row-major matrix (`NaN` padding, or `lengths`), for
/// callers that hold arrays (NumPy): flat outputs, nothing converted per value.
pub fn forecast_matrix(
    values: &[f64],
    rows: usize,
    cols: usize,
    lengths: Option<&[usize]>,
    model: Model,
    horizon: u32,
    levels: &[f64],
) -> ApiResult<MatrixForecast> {
    guard(|| {
        crate::pool::run(|| {
            check_count(rows)?;
            let y = ndarray::ArrayView2::from_shape((rows, cols), values).map_err(|_| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("{} values do not fill {rows} × {cols}", values.len()),
                )
            })?;
            let f = fc::forecast_matrix(y, lengths, model, horizon as usize, levels)?;
            Ok(MatrixForecast {
                mean: f.mean.into_raw_vec_and_offset().0,
                lo: f.lo.into_raw_vec_and_offset().0,
                hi: f.hi.into_raw_vec_and_offset().0,
                models: f.models,
            })
        })
    })
}

/// Rolling-origin evaluation, per series and pooled. One series too short fails the call.
pub fn backtest(request: &BacktestRequest) -> ApiResult<BacktestReport> {
    guard(|| {
        crate::pool::run(|| {
            check_count(request.series.len())?;
            let ys: Vec<Vec<f64>> = request.series.iter().map(values).collect();
            let spec = fc::BacktestSpec {
                windows: request.windows as usize,
                step: request.step as usize,
                h: request.horizon as usize,
                season: request.season as usize,
                levels: request.levels.clone(),
            };
            let (per, pooled) = fc::backtest_many(&ys, request.model, &spec);
            let series = request
                .series
                .iter()
                .zip(per)
                .map(|(s, r)| {
                    let b = r.map_err(|e| in_series(&s.id, e))?;
                    Ok(SeriesBacktest {
                        id: s.id.clone(),
                        origins: b.origins.iter().map(|o| *o as u32).collect(),
                        metrics: b.metrics,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(BacktestReport { series, pooled })
        })
    })
}

/// Demand class of every series (ADI and CV², Syntetos–Boylan cut-offs 1.32 and 0.49).
pub fn classify(series: &[Series]) -> ApiResult<Vec<SeriesClass>> {
    guard(|| {
        check_count(series.len())?;
        series
            .iter()
            .map(|s| {
                let v = values(s);
                let y = fc::prepare(&v).map_err(|e| in_series(&s.id, e))?;
                let c = fc::classify(&y);
                Ok(SeriesClass {
                    id: s.id.clone(),
                    class: c.class,
                    adi: c.adi,
                    cv2: c.cv2,
                    demands: c.demands as u32,
                })
            })
            .collect()
    })
}

/// Order suggestions for every stock position, in the positions' order (rank them by `cover`
/// for the most urgent first).
pub fn suggest_orders(positions: &[StockPosition]) -> ApiResult<Vec<Suggestion>> {
    guard(|| Ok(fc::suggest_many(positions)?))
}

/// Consumption per period from stock balances (OpenLMIS: `C = A + B + D − E`, adjusted for
/// days out of stock), the average monthly consumption over the last periods, and the min/max
/// order in months of stock.
pub fn average_monthly_consumption(request: &ConsumptionRequest) -> ApiResult<ConsumptionReport> {
    guard(|| Ok(fc::consumption(request)?))
}
