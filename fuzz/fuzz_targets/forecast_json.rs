//! Every forecasting entry point that takes JSON: forecasts, long format, backtests, classes,
//! order suggestions.
#![no_main]
use apotheca::forecasting as f;
use apotheca_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((op, text)) = op_and_text(data) else {
        return;
    };
    match op % 5 {
        0 => no_internal(&decode(text).and_then(|r| f::forecast(&r))),
        1 => no_internal(&decode(text).and_then(|r| f::forecast_long(&r))),
        2 => no_internal(&decode(text).and_then(|r| f::backtest(&r))),
        3 => no_internal(&decode::<Vec<f::Series>>(text).and_then(|s| f::classify(&s))),
        _ => {
            no_internal(&decode::<Vec<f::StockPosition>>(text).and_then(|p| f::suggest_orders(&p)))
        }
    }
});
