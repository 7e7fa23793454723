//! Forecasting functions: each one call to the facade (batches run on rayon's threads).

use apotheca::forecasting::{
    self as fc, BacktestReport, BacktestRequest, ForecastRequest, LongForecastRequest,
    LongForecastRow, Series, SeriesClass, SeriesForecast, StockPosition, Suggestion,
};
use apotheca::forecasting::{ConsumptionReport, ConsumptionRequest};

use crate::error::ApothecaError;

type R<T> = Result<T, ApothecaError>;

/// Forecasts every series; one bad series fails the call, naming it.
#[uniffi::export]
pub fn forecast(request: ForecastRequest) -> R<Vec<SeriesForecast>> {
    Ok(fc::forecast(&request)?)
}

/// Long format (`unique_id, ds, y`) in and out; missing periods are no sale.
#[uniffi::export]
pub fn forecast_long(request: LongForecastRequest) -> R<Vec<LongForecastRow>> {
    Ok(fc::forecast_long(&request)?)
}

/// Rolling-origin accuracy per series and pooled.
#[uniffi::export]
pub fn backtest(request: BacktestRequest) -> R<BacktestReport> {
    Ok(fc::backtest(&request)?)
}

/// Demand class of every series (ADI / CV²).
#[uniffi::export]
pub fn classify(series: Vec<Series>) -> R<Vec<SeriesClass>> {
    Ok(fc::classify(&series)?)
}

/// Order suggestions in the positions' order (rank by `cover`), capped by what sells before
/// expiry.
#[uniffi::export]
pub fn suggest_orders(positions: Vec<StockPosition>) -> R<Vec<Suggestion>> {
    Ok(fc::suggest_orders(&positions)?)
}

/// Consumption per period from stock balances, the average monthly consumption and the min/max
/// order (OpenLMIS).
#[uniffi::export]
pub fn average_monthly_consumption(request: ConsumptionRequest) -> R<ConsumptionReport> {
    Ok(fc::average_monthly_consumption(&request)?)
}
