//! Consumption and maximum stock the way logistics management information systems compute
//! them from stock balances (OpenLMIS's requisition, open-mSupply's AMC): no forecast, only
//! what each period's balances say was consumed, adjusted for the days the facility was out of
//! stock, averaged over the last periods, and a min/max (s, S) order in months of stock.
//!
//! For each period, oldest first:
//! - consumption `C = A + B + D − E`: opening balance `A`, received `B`, adjustments `D`
//!   (losses negative), closing balance `E`; a negative `C` is refused (the balances do not add
//!   up);
//! - stock-out-adjusted consumption `N = ⌈C × 30M / (30M − X)⌉ + Z`: `M` months in the period,
//!   `X` days out of stock, `Z` additional quantity required (new patients); when the facility
//!   was out of stock all period (`X ≥ 30M`), `N = C + Z`.
//!
//! The average monthly consumption is the mean of `N / M` over the last `periods_averaged`
//! periods, rounded up (`ceil`, OpenLMIS) or half up; the maximum stock is `AMC × max months`,
//! rounded half up (or up); the order is the maximum stock less the last closing balance, or
//! nothing while that balance is at least `AMC × min months` (the min/max rule of OpenLMIS and
//! open-mSupply).

use serde::{Deserialize, Serialize};

use crate::error::{ForecastError, Result};

/// One period's stock balances, in base units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PeriodBalance {
    /// Opening balance `A`.
    pub opening: i64,
    /// Received in the period `B`.
    pub received: i64,
    /// Adjustments `D`: positive in (found, transfers in), negative out (losses, expiries).
    #[serde(default)]
    pub adjustments: i64,
    /// Closing balance `E` (the stock count).
    pub closing: i64,
    /// Days out of stock in the period `X`.
    #[serde(default)]
    pub stockout_days: i64,
    /// Months the period covers `M` (default 1).
    #[serde(default = "one")]
    pub months: i64,
    /// Additional quantity required `Z` (new patients, a campaign).
    #[serde(default)]
    pub additional: i64,
}

fn one() -> i64 {
    1
}

/// How an average or a stock level is made whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum WholeRounding {
    /// Up to the next whole unit (OpenLMIS's average consumption).
    #[default]
    Ceil,
    /// To the nearest whole unit, a half up (OpenLMIS's maximum stock).
    HalfUp,
}

/// The question: balances per period, and the min/max rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsumptionRequest {
    /// The periods, oldest first.
    pub periods: Vec<PeriodBalance>,
    /// How many of the last periods the average takes (default 3).
    #[serde(default = "three")]
    pub periods_averaged: u32,
    /// How the average is made whole (default `ceil`).
    #[serde(default)]
    pub average_rounding: WholeRounding,
    /// Months of stock the maximum stock holds (OpenLMIS's max periods of stock), if any.
    #[serde(default)]
    pub max_months: Option<f64>,
    /// Months of stock below which an order is placed (the `s` of min/max); without it, an
    /// order is placed whenever the stock is below the maximum.
    #[serde(default)]
    pub min_months: Option<f64>,
    /// How the maximum stock is made whole (default `half_up`).
    #[serde(default = "half_up")]
    pub max_stock_rounding: WholeRounding,
}

fn three() -> u32 {
    3
}

fn half_up() -> WholeRounding {
    WholeRounding::HalfUp
}

/// One period's consumption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PeriodConsumption {
    /// `C = A + B + D − E`.
    pub consumption: i64,
    /// `N`, adjusted for the days out of stock, plus the additional quantity.
    pub adjusted: i64,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsumptionReport {
    /// Each period's consumption, in input order.
    pub periods: Vec<PeriodConsumption>,
    /// The average monthly consumption over the last periods, whole.
    pub amc: i64,
    /// The stock on hand: the last period's closing balance.
    pub stock_on_hand: i64,
    /// `AMC × max_months`, whole, when `max_months` is given.
    pub max_stock: Option<i64>,
    /// `AMC × min_months` (unrounded), when `min_months` is given.
    pub min_stock: Option<f64>,
    /// Units to order: the maximum stock less the stock on hand, or 0 while the stock is at or
    /// above the minimum (or the maximum); none without `max_months`.
    pub order: Option<i64>,
    /// Why the order is what it is.
    pub reason: String,
}

/// The largest balance or quantity: 10^12 units.
const MAX_UNITS: i64 = 1_000_000_000_000;

fn invalid(s: String) -> ForecastError {
    ForecastError::InvalidInput(s)
}

fn whole(x: f64, r: WholeRounding) -> i64 {
    // Bounded by MAX_UNITS × 1000 months well inside f64's exact integers.
    match r {
        WholeRounding::Ceil => x.ceil() as i64,
        WholeRounding::HalfUp => (x + 0.5).floor() as i64,
    }
}

/// Consumption per period, the average monthly consumption and the min/max order.
pub fn consumption(req: &ConsumptionRequest) -> Result<ConsumptionReport> {
    if req.periods.is_empty() {
        return Err(invalid("periods: give at least one period".into()));
    }
    if req.periods.len() > 10_000 {
        return Err(invalid(format!(
            "periods: {} given, at most 10000",
            req.periods.len()
        )));
    }
    if req.periods_averaged == 0 {
        return Err(invalid("periods_averaged: must be at least 1".into()));
    }
    for (what, v) in [
        ("max_months", req.max_months),
        ("min_months", req.min_months),
    ] {
        if let Some(m) = v
            && !(m.is_finite() && (0.0..=1000.0).contains(&m))
        {
            return Err(invalid(format!("{what}: {m} must be between 0 and 1000")));
        }
    }
    if let (Some(lo), Some(hi)) = (req.min_months, req.max_months)
        && lo > hi
    {
        return Err(invalid(format!(
            "min_months: {lo} is above max_months {hi}"
        )));
    }
    let mut periods = Vec::with_capacity(req.periods.len());
    for (i, p) in req.periods.iter().enumerate() {
        let at = |f: &str| format!("periods[{i}].{f}");
        for (f, v) in [
            ("opening", p.opening),
            ("received", p.received),
            ("closing", p.closing),
            ("stockout_days", p.stockout_days),
            ("additional", p.additional),
        ] {
            if !(0..=MAX_UNITS).contains(&v) {
                return Err(invalid(format!(
                    "{}: {v} must be between 0 and {MAX_UNITS}",
                    at(f)
                )));
            }
        }
        if p.adjustments.abs() > MAX_UNITS {
            return Err(invalid(format!(
                "{}: {} is beyond ±{MAX_UNITS}",
                at("adjustments"),
                p.adjustments
            )));
        }
        if !(1..=120).contains(&p.months) {
            return Err(invalid(format!(
                "{}: {} must be between 1 and 120",
                at("months"),
                p.months
            )));
        }
        let c = p.opening + p.received + p.adjustments - p.closing;
        if c < 0 {
            return Err(invalid(format!(
                "{}: the balances do not add up: {} + {} + {} − {} = {c} consumed",
                at("closing"),
                p.opening,
                p.received,
                p.adjustments,
                p.closing
            )));
        }
        let days = 30 * p.months;
        let adjusted = if p.stockout_days >= days || p.stockout_days == 0 {
            c
        } else {
            // ⌈C × 30M / (30M − X)⌉ in integers: C ≤ 3 × 10^12, 30M ≤ 3600.
            let (num, den) = (
                i128::from(c) * i128::from(days),
                i128::from(days - p.stockout_days),
            );
            i64::try_from((num + den - 1) / den).unwrap_or(i64::MAX)
        };
        periods.push(PeriodConsumption {
            consumption: c,
            adjusted: adjusted.saturating_add(p.additional),
        });
    }
    let take = (req.periods_averaged as usize).min(periods.len());
    let last = &req.periods[req.periods.len() - take..];
    let monthly: f64 = periods[periods.len() - take..]
        .iter()
        .zip(last)
        .map(|(c, p)| c.adjusted as f64 / p.months as f64)
        .sum::<f64>()
        / take as f64;
    let amc = whole(monthly, req.average_rounding);
    let stock_on_hand = req.periods[req.periods.len() - 1].closing;
    let max_stock = req
        .max_months
        .map(|m| whole(amc as f64 * m, req.max_stock_rounding));
    let min_stock = req.min_months.map(|m| amc as f64 * m);
    let (order, reason) = match (max_stock, min_stock) {
        (None, _) => (None, "no max_months: no order computed".to_string()),
        (Some(_), Some(min)) if stock_on_hand as f64 >= min => (
            Some(0),
            format!(
                "stock {stock_on_hand} is at or above the minimum {min} (AMC {amc} × min months): order nothing"
            ),
        ),
        (Some(max), _) if stock_on_hand >= max => (
            Some(0),
            format!("stock {stock_on_hand} is at or above the maximum {max}: order nothing"),
        ),
        (Some(max), _) => (
            Some(max - stock_on_hand),
            format!("up to the maximum stock {max} (AMC {amc} × max months) from {stock_on_hand}"),
        ),
    };
    Ok(ConsumptionReport {
        periods,
        amc,
        stock_on_hand,
        max_stock,
        min_stock,
        order,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(opening: i64, received: i64, closing: i64, stockout_days: i64) -> PeriodBalance {
        PeriodBalance {
            opening,
            received,
            adjustments: 0,
            closing,
            stockout_days,
            months: 1,
            additional: 0,
        }
    }

    fn req(periods: Vec<PeriodBalance>) -> ConsumptionRequest {
        ConsumptionRequest {
            periods,
            periods_averaged: 3,
            average_rounding: WholeRounding::Ceil,
            max_months: Some(3.0),
            min_months: None,
            max_stock_rounding: WholeRounding::HalfUp,
        }
    }

    #[test]
    fn consumption_adjusted_for_stockout_days_then_averaged_up() {
        // C = 100 + 200 − 150 = 150, no stock-out; 150 + 0 − 20 = 130, out 10 days:
        // ⌈130 × 30 / 20⌉ = 195; 20 + 300 − 180 = 140. Average (150 + 195 + 140) / 3 = 161.67
        // → 162; max 3 × 162 = 486; order 486 − 180 = 306.
        let r = consumption(&req(vec![
            period(100, 200, 150, 0),
            period(150, 0, 20, 10),
            period(20, 300, 180, 0),
        ]))
        .unwrap();
        let adjusted: Vec<i64> = r.periods.iter().map(|p| p.adjusted).collect();
        assert_eq!(adjusted, [150, 195, 140]);
        assert_eq!((r.amc, r.max_stock, r.order), (162, Some(486), Some(306)));
    }

    #[test]
    fn min_max_orders_nothing_above_the_minimum() {
        let mut q = req(vec![period(0, 300, 200, 0)]);
        // AMC 100; min 1.5 months = 150 ≤ 200 on hand: nothing.
        q.min_months = Some(1.5);
        assert_eq!(consumption(&q).unwrap().order, Some(0));
        // 2.5 months = 250 > 200: up to 3 × 100 = 300, order 100.
        q.min_months = Some(2.5);
        assert_eq!(consumption(&q).unwrap().order, Some(100));
    }

    #[test]
    fn balances_that_do_not_add_up_are_refused() {
        let e = consumption(&req(vec![period(10, 0, 20, 0)])).unwrap_err();
        assert!(e.to_string().contains("periods[0].closing"), "{e}");
    }
}
