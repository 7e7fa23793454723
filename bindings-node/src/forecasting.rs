//! Forecasting functions: each converts its arguments, calls the facade, converts the result.
//! `forecastAsync`, `forecastLongAsync` and `backtestAsync` run a batch on the libuv pool (and
//! rayon's threads) without blocking the event loop. No rule lives here.

use apotheca::forecasting as fc;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::conv::{Job, arg, call};

/// Forecasts every series; one bad series fails the call, naming it.
#[napi(
    ts_args_type = "request: ForecastRequest",
    ts_return_type = "SeriesForecast[]"
)]
pub fn forecast<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || fc::forecast(&arg(env, request)?))
}

/// `forecast` off the event loop.
#[napi(
    ts_args_type = "request: ForecastRequest",
    ts_return_type = "Promise<SeriesForecast[]>"
)]
pub fn forecast_async(env: &Env, request: Unknown<'_>) -> AsyncTask<Job> {
    let r = arg::<fc::ForecastRequest>(env, request);
    Job::new(move || fc::forecast(&r?))
}

/// Long format (`uniqueId, ds, y`) in and out; missing periods are no sale.
#[napi(
    ts_args_type = "request: LongForecastRequest",
    ts_return_type = "LongForecastRow[]"
)]
pub fn forecast_long<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || fc::forecast_long(&arg(env, request)?))
}

/// Rolling-origin accuracy per series and pooled.
#[napi(
    ts_args_type = "request: BacktestRequest",
    ts_return_type = "BacktestReport"
)]
pub fn backtest<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || fc::backtest(&arg(env, request)?))
}

/// `backtest` off the event loop.
#[napi(
    ts_args_type = "request: BacktestRequest",
    ts_return_type = "Promise<BacktestReport>"
)]
pub fn backtest_async(env: &Env, request: Unknown<'_>) -> AsyncTask<Job> {
    let r = arg::<fc::BacktestRequest>(env, request);
    Job::new(move || fc::backtest(&r?))
}

/// `forecastLong` off the event loop.
#[napi(
    ts_args_type = "request: LongForecastRequest",
    ts_return_type = "Promise<LongForecastRow[]>"
)]
pub fn forecast_long_async(env: &Env, request: Unknown<'_>) -> AsyncTask<Job> {
    let r = arg::<fc::LongForecastRequest>(env, request);
    Job::new(move || fc::forecast_long(&r?))
}

/// Demand class of every series (ADI / CV²).
#[napi(ts_args_type = "series: Series[]", ts_return_type = "SeriesClass[]")]
pub fn classify<'e>(env: &'e Env, series: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || fc::classify(&arg::<Vec<fc::Series>>(env, series)?))
}

/// Order suggestions in the positions' order (rank by `cover`), capped by what sells before
/// expiry.
#[napi(
    ts_args_type = "positions: StockPosition[]",
    ts_return_type = "Suggestion[]"
)]
pub fn suggest_orders<'e>(env: &'e Env, positions: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || {
        fc::suggest_orders(&arg::<Vec<fc::StockPosition>>(env, positions)?)
    })
}

/// Consumption per period from stock balances, the average monthly consumption and the min/max
/// order (OpenLMIS).
#[napi(
    ts_args_type = "request: ConsumptionRequest",
    ts_return_type = "ConsumptionReport"
)]
pub fn average_monthly_consumption<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || {
        fc::average_monthly_consumption(&arg::<fc::ConsumptionRequest>(env, request)?)
    })
}
