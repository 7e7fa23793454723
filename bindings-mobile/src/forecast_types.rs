//! The forecasting types as UniFFI records and enums, mirroring `apotheca-forecasting` and the
//! facade's `apotheca::forecasting` DTOs field for field (the compiler rejects any mismatch).

use apotheca::forecasting::{
    BacktestReport, BacktestRequest, Band, DemandClass, ForecastRequest, Frequency,
    LongForecastRequest, LongForecastRow, LongRow, Metrics, Model, Pinball, Series, SeriesBacktest,
    SeriesClass, SeriesForecast, StockPosition, Suggestion,
};
use apotheca::forecasting::{
    ConsumptionReport, ConsumptionRequest, MinMax, PeriodBalance, PeriodConsumption, SesInitial,
    WholeRounding,
};
use chrono::NaiveDate;

#[uniffi::remote(Enum)]
pub enum Model {
    Naive,
    SeasonalNaive {
        season: u32,
    },
    MovingAverage {
        window: u32,
    },
    Ses {
        alpha: f64,
        // No `#[uniffi(default)]`: UniFFI 0.31 has no default literal for an enum field.
        initial: SesInitial,
    },
    SesOptimized,
    CrostonClassic,
    CrostonSba,
    CrostonOptimized,
    Tsb {
        alpha_d: f64,
        alpha_p: f64,
    },
    Adida,
    Imapa,
    Holt {
        damped: bool,
    },
    HoltWinters {
        season: u32,
        multiplicative: bool,
        damped: bool,
    },
    AutoEts {
        season: u32,
    },
    Regression {
        lags: u32,
        season: u32,
    },
    Auto,
}

#[uniffi::remote(Enum)]
pub enum DemandClass {
    Smooth,
    Erratic,
    Intermittent,
    Lumpy,
    Insufficient,
}

#[uniffi::remote(Enum)]
pub enum Frequency {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[uniffi::remote(Record)]
pub struct Series {
    pub id: String,
    pub y: Vec<Option<f64>>,
}

#[uniffi::remote(Record)]
pub struct ForecastRequest {
    pub series: Vec<Series>,
    pub model: Model,
    pub horizon: u32,
    #[uniffi(default)]
    pub levels: Vec<f64>,
    #[uniffi(default)]
    pub fitted: bool,
}

#[uniffi::remote(Record)]
pub struct Band {
    pub level: f64,
    pub lo: Vec<Option<f64>>,
    pub hi: Vec<Option<f64>>,
}

#[uniffi::remote(Record)]
pub struct SeriesForecast {
    pub id: String,
    pub model: Model,
    pub method: Option<String>,
    pub mean: Vec<Option<f64>>,
    pub fitted: Vec<Option<f64>>,
    pub intervals: Vec<Band>,
}

#[uniffi::remote(Record)]
pub struct LongRow {
    pub unique_id: String,
    pub ds: NaiveDate,
    pub y: Option<f64>,
}

#[uniffi::remote(Record)]
pub struct LongForecastRequest {
    pub rows: Vec<LongRow>,
    pub freq: Frequency,
    pub model: Model,
    pub horizon: u32,
    #[uniffi(default)]
    pub levels: Vec<f64>,
}

#[uniffi::remote(Record)]
pub struct LongForecastRow {
    pub unique_id: String,
    pub ds: NaiveDate,
    pub mean: Option<f64>,
    pub lo: Vec<Option<f64>>,
    pub hi: Vec<Option<f64>>,
}

#[uniffi::remote(Record)]
pub struct BacktestRequest {
    pub series: Vec<Series>,
    pub model: Model,
    pub windows: u32,
    pub step: u32,
    pub horizon: u32,
    pub season: u32,
    #[uniffi(default)]
    pub levels: Vec<f64>,
}

#[uniffi::remote(Record)]
pub struct Pinball {
    pub quantile: f64,
    pub loss: f64,
}

#[uniffi::remote(Record)]
pub struct Metrics {
    pub n: u32,
    pub mae: f64,
    pub rmse: f64,
    pub mape: Option<f64>,
    pub smape: f64,
    pub mase: f64,
    pub rmsse: f64,
    pub bias: f64,
    pub pinball: Vec<Pinball>,
}

#[uniffi::remote(Record)]
pub struct SeriesBacktest {
    pub id: String,
    pub origins: Vec<u32>,
    pub metrics: Metrics,
}

#[uniffi::remote(Record)]
pub struct BacktestReport {
    pub series: Vec<SeriesBacktest>,
    pub pooled: Metrics,
}

#[uniffi::remote(Record)]
pub struct SeriesClass {
    pub id: String,
    pub class: DemandClass,
    pub adi: Option<f64>,
    pub cv2: f64,
    pub demands: u32,
}

#[uniffi::remote(Record)]
pub struct StockPosition {
    pub product: String,
    pub mean_demand: f64,
    pub sigma: f64,
    pub on_hand: f64,
    pub on_order: f64,
    pub lead_time: f64,
    pub review_period: f64,
    pub service_level: f64,
    pub pack_size: f64,
    pub moq: f64,
    pub shelf_life: Option<f64>,
    pub ordering_cost: Option<f64>,
    pub holding_cost: Option<f64>,
    #[uniffi(default)]
    pub min_max: Option<MinMax>,
    #[uniffi(default)]
    pub target_stock: Option<f64>,
}

#[uniffi::remote(Record)]
pub struct MinMax {
    pub min_periods: f64,
    pub max_periods: f64,
}

#[uniffi::remote(Record)]
pub struct PeriodBalance {
    pub opening: i64,
    pub received: i64,
    #[uniffi(default)]
    pub adjustments: i64,
    pub closing: i64,
    #[uniffi(default)]
    pub stockout_days: i64,
    #[uniffi(default = 1)]
    pub months: i64,
    #[uniffi(default)]
    pub additional: i64,
}

#[uniffi::remote(Enum)]
pub enum WholeRounding {
    Ceil,
    HalfUp,
}

#[uniffi::remote(Record)]
pub struct ConsumptionRequest {
    pub periods: Vec<PeriodBalance>,
    #[uniffi(default = 3)]
    pub periods_averaged: u32,
    pub average_rounding: WholeRounding,
    #[uniffi(default)]
    pub max_months: Option<f64>,
    #[uniffi(default)]
    pub min_months: Option<f64>,
    pub max_stock_rounding: WholeRounding,
}

#[uniffi::remote(Record)]
pub struct PeriodConsumption {
    pub consumption: i64,
    pub adjusted: i64,
}

#[uniffi::remote(Record)]
pub struct ConsumptionReport {
    pub periods: Vec<PeriodConsumption>,
    pub amc: i64,
    pub stock_on_hand: i64,
    pub max_stock: Option<i64>,
    pub min_stock: Option<f64>,
    pub order: Option<i64>,
    pub reason: String,
}

#[uniffi::remote(Record)]
pub struct Suggestion {
    pub product: String,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub order_up_to: f64,
    pub position: f64,
    pub eoq: Option<f64>,
    pub raw_order: f64,
    pub expiry_cap: Option<f64>,
    pub order: f64,
    pub cover: Option<f64>,
    pub reason: String,
}

#[uniffi::remote(Enum)]
pub enum SesInitial {
    First,
    MeanNonzero,
}
