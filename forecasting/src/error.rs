//! `ForecastError`: bad series, horizons, levels or stock positions, naming the value.

/// Why a forecasting operation refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// A series, horizon, level or parameter out of range.
    #[error("{0}")]
    InvalidInput(String),
    /// A series the model cannot use: negative or infinite values, no observation, too short
    /// for the model, zeros where a multiplicative model needs positive demand.
    #[error("{0}")]
    InvalidSeries(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, ForecastError>;

pub(crate) fn invalid(msg: impl Into<String>) -> ForecastError {
    ForecastError::InvalidInput(msg.into())
}

pub(crate) fn bad_series(msg: impl Into<String>) -> ForecastError {
    ForecastError::InvalidSeries(msg.into())
}
