#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod backtest;
pub mod batch;
pub mod classify;
pub mod conformal;
pub mod error;
pub mod ets;
pub mod fitted;
pub mod intermittent;
pub mod lmis;
pub mod long;
pub mod models;
pub mod numpy;
pub mod optim;
#[cfg(feature = "regression")]
pub mod regression;
pub mod replenish;
pub mod ses;

pub use backtest::{Backtest, BacktestSpec, Metrics, backtest, backtest_many};
pub use batch::{BATCH, MatrixForecast, forecast_batch, forecast_many, forecast_matrix};
pub use classify::{Classification, DemandClass, classify};
pub use conformal::{IntervalMethod, forecast_with};
pub use error::{ForecastError, Result};
pub use intermittent::{
    adida, croston_classic, croston_optimized, croston_sba, imapa, sizes_and_intervals, tsb,
};
pub use lmis::{
    ConsumptionReport, ConsumptionRequest, PeriodBalance, PeriodConsumption, WholeRounding,
    consumption,
};
pub use models::{Forecast, Interval, Model, SesInitial, check_levels, forecast, prepare};
pub use replenish::{MinMax, StockPosition, Suggestion, normal_quantile, suggest, suggest_many};
