//! Forecasting functions: each converts its arguments, calls the facade, converts the result.
//! Single-threaded here (no rayon in WebAssembly); the results are the same. No rule lives here.

use apotheca::forecasting as fc;
use wasm_bindgen::prelude::*;

use crate::conv::{arg, out};

/// Forecasts every series; one bad series fails the call, naming it.
#[wasm_bindgen(unchecked_return_type = "SeriesForecast[]")]
pub fn forecast(
    #[wasm_bindgen(unchecked_param_type = "ForecastRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(request).and_then(|r| fc::forecast(&r)))
}

/// Long format (`uniqueId, ds, y`) in and out; missing periods are no sale.
#[wasm_bindgen(js_name = forecastLong, unchecked_return_type = "LongForecastRow[]")]
pub fn forecast_long(
    #[wasm_bindgen(unchecked_param_type = "LongForecastRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(request).and_then(|r| fc::forecast_long(&r)))
}

/// Rolling-origin accuracy per series and pooled.
#[wasm_bindgen(unchecked_return_type = "BacktestReport")]
pub fn backtest(
    #[wasm_bindgen(unchecked_param_type = "BacktestRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(request).and_then(|r| fc::backtest(&r)))
}

/// Demand class of every series (ADI / CV²).
#[wasm_bindgen(unchecked_return_type = "SeriesClass[]")]
pub fn classify(
    #[wasm_bindgen(unchecked_param_type = "Series[]")] series: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg::<Vec<fc::Series>>(series).and_then(|s| fc::classify(&s)))
}

/// Order suggestions in the positions' order (rank by `cover`), capped by what sells before
/// expiry.
#[wasm_bindgen(js_name = suggestOrders, unchecked_return_type = "Suggestion[]")]
pub fn suggest_orders(
    #[wasm_bindgen(unchecked_param_type = "StockPosition[]")] positions: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg::<Vec<fc::StockPosition>>(positions).and_then(|p| fc::suggest_orders(&p)))
}

/// Consumption per period from stock balances, the average monthly consumption and the min/max
/// order (OpenLMIS).
#[wasm_bindgen(js_name = averageMonthlyConsumption, unchecked_return_type = "ConsumptionReport")]
pub fn average_monthly_consumption(
    #[wasm_bindgen(unchecked_param_type = "ConsumptionRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg::<fc::ConsumptionRequest>(request).and_then(|r| fc::average_monthly_consumption(&r)))
}
