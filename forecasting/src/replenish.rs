//! Replenishment: from a demand forecast and a stock position, safety stock, reorder point,
//! order-up-to level, EOQ, the order rounded to packs and minimum order quantity, and an
//! **expiry-aware cap**: never order more than can be sold before the incoming stock expires.
//!
//! Periods are the forecast's (days, weeks, months). Demand during the lead time and review
//! period is `mean × periods`; its uncertainty is `sigma × √periods` (independent periods), and
//! safety stock is `z(service level) × that`.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid};

/// A product's stock position and ordering terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StockPosition {
    /// Product id (carried through to the suggestion).
    pub product: String,
    /// Forecast demand per period.
    pub mean_demand: f64,
    /// Standard deviation of one period's forecast error (e.g. the in-sample RMSE).
    pub sigma: f64,
    /// Units on hand (usable, not expired).
    pub on_hand: f64,
    /// Units ordered and not yet received.
    pub on_order: f64,
    /// Periods from order to receipt.
    pub lead_time: f64,
    /// Periods between reviews (0 for continuous review).
    pub review_period: f64,
    /// Cycle service level, e.g. 0.95.
    pub service_level: f64,
    /// Units per pack: orders are whole packs.
    pub pack_size: f64,
    /// Minimum order quantity in units.
    pub moq: f64,
    /// Periods the incoming stock can be sold before it expires (none: no cap).
    pub shelf_life: Option<f64>,
    /// Cost of placing one order (for EOQ).
    pub ordering_cost: Option<f64>,
    /// Cost of holding one unit for one period (for EOQ).
    pub holding_cost: Option<f64>,
    /// Min/max (s, S) in periods of stock instead of the service level (OpenLMIS,
    /// open-mSupply): order nothing while the position is at least `min_periods × demand`,
    /// else up to `max_periods × demand`.
    #[serde(default)]
    pub min_max: Option<MinMax>,
    /// A direct order-up-to (maximum stock) level in units, instead of the one the service
    /// level gives.
    #[serde(default)]
    pub target_stock: Option<f64>,
}

/// A min/max rule in periods (months) of stock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MinMax {
    /// Periods of stock below which an order is placed (`s`).
    pub min_periods: f64,
    /// Periods of stock an order fills up to (`S`).
    pub max_periods: f64,
}

/// What to order, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    /// Product id.
    pub product: String,
    /// Safety stock in units.
    pub safety_stock: f64,
    /// Reorder point: lead-time demand + safety stock.
    pub reorder_point: f64,
    /// Order-up-to level: demand over lead time and review period + safety stock.
    pub order_up_to: f64,
    /// On hand + on order.
    pub position: f64,
    /// Economic order quantity, where costs are given.
    pub eoq: Option<f64>,
    /// Units the policy asks for before rounding and the cap.
    pub raw_order: f64,
    /// Most that can be sold before incoming stock expires (after the stock ahead of it).
    pub expiry_cap: Option<f64>,
    /// Units to order: whole packs, at least the MOQ, never above the expiry cap (0 if the
    /// cap is below the MOQ).
    pub order: f64,
    /// Periods the position covers at the forecast demand (none when no demand is forecast).
    pub cover: Option<f64>,
    /// Why the order is what it is.
    pub reason: String,
}

/// The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let low = 0.02425;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// The suggestion for one product.
pub fn suggest(p: &StockPosition) -> Result<Suggestion> {
    let bad = |what: &str, v: f64| invalid(format!("{}: {what} {v} is out of range", p.product));
    for (what, v) in [
        ("mean_demand", p.mean_demand),
        ("sigma", p.sigma),
        ("on_hand", p.on_hand),
        ("on_order", p.on_order),
        ("lead_time", p.lead_time),
        ("review_period", p.review_period),
        ("moq", p.moq),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad(what, v));
        }
    }
    if !(p.pack_size.is_finite() && p.pack_size >= 1.0) {
        return Err(bad("pack_size", p.pack_size));
    }
    // The service level matters only where it sets a safety stock: with no uncertainty, or a
    // min/max rule, any level from 0 to 1 is accepted.
    let level_used = p.sigma > 0.0 && p.min_max.is_none();
    let level_ok = if level_used {
        p.service_level > 0.0 && p.service_level < 1.0
    } else {
        (0.0..=1.0).contains(&p.service_level)
    };
    if !level_ok {
        return Err(bad("service_level", p.service_level));
    }
    if p.min_max.is_some() && p.target_stock.is_some() {
        return Err(invalid(format!(
            "{}: give min_max or target_stock, not both",
            p.product
        )));
    }
    if let Some(t) = p.target_stock
        && !(t.is_finite() && t >= 0.0)
    {
        return Err(bad("target_stock", t));
    }
    if let Some(m) = p.min_max {
        for (what, v) in [
            ("min_periods", m.min_periods),
            ("max_periods", m.max_periods),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad(what, v));
            }
        }
        if m.min_periods > m.max_periods {
            return Err(bad("min_periods (above max_periods)", m.min_periods));
        }
    }
    let z = if level_used {
        normal_quantile(p.service_level)
    } else {
        0.0
    };
    let exposure = p.lead_time + p.review_period;
    let position = p.on_hand + p.on_order;
    let (safety_stock, reorder_point, order_up_to) = match (p.min_max, p.target_stock) {
        (Some(m), _) => (
            0.0,
            m.min_periods * p.mean_demand,
            m.max_periods * p.mean_demand,
        ),
        (None, target) => {
            let safety_stock = (z * p.sigma * exposure.sqrt()).max(0.0);
            let reorder_point =
                p.mean_demand * p.lead_time + z.max(0.0) * p.sigma * p.lead_time.sqrt();
            let order_up_to = target.unwrap_or(p.mean_demand * exposure + safety_stock);
            (safety_stock, reorder_point, order_up_to)
        }
    };
    let eoq = match (p.ordering_cost, p.holding_cost) {
        (Some(k), Some(h)) if k > 0.0 && h > 0.0 => Some((2.0 * p.mean_demand * k / h).sqrt()),
        _ => None,
    };
    // Periodic review orders up to S at every review; continuous review (no review period)
    // orders when the position falls to the reorder point. Min/max orders only below the
    // minimum, at a review or not.
    let due = match p.min_max {
        Some(_) => position < reorder_point,
        None => p.review_period > 0.0 || position <= reorder_point,
    };
    let raw_order = if due {
        (order_up_to - position).max(0.0)
    } else {
        0.0
    };
    let wanted = if raw_order > 0.0 {
        raw_order.max(eoq.unwrap_or(0.0))
    } else {
        0.0
    };
    // Stock ahead of the new order sells first; what is left of it when the order arrives
    // shortens the window the new stock has before it expires.
    let expiry_cap = match p.shelf_life {
        Some(s) if !(s.is_finite() && s >= 0.0) => return Err(bad("shelf_life", s)),
        Some(s) => {
            let ahead = (position - p.mean_demand * p.lead_time).max(0.0);
            Some((p.mean_demand * s - ahead).max(0.0))
        }
        None => None,
    };
    let packs_up = |u: f64| (u / p.pack_size).ceil() * p.pack_size;
    let packs_down = |u: f64| (u / p.pack_size).floor() * p.pack_size;
    let (order, reason) = if p.min_max.is_some() && !due {
        (
            0.0,
            format!(
                "position {position} is at or above the minimum {reorder_point:.1} (min periods × demand): order nothing"
            ),
        )
    } else if wanted <= 0.0 {
        (0.0, "position covers the order-up-to level".to_string())
    } else {
        let ordered = packs_up(wanted.max(p.moq));
        match expiry_cap {
            Some(cap) if ordered > cap => {
                let capped = packs_down(cap);
                if capped < p.moq || capped <= 0.0 {
                    (
                        0.0,
                        format!(
                            "expiry cap {cap:.1} units is below the minimum order: order nothing, or a shorter-dated supplier"
                        ),
                    )
                } else {
                    (
                        capped,
                        format!("capped at {capped} units: more would expire before it sells"),
                    )
                }
            }
            _ => {
                let packs = ordered / p.pack_size;
                let why = if p.moq > raw_order && p.moq >= wanted {
                    format!("the minimum order of {} units", p.moq)
                } else if wanted > raw_order {
                    format!(
                        "the economic order quantity {wanted:.0}, above the {raw_order:.0} that reach the order-up-to level"
                    )
                } else if p.min_max.is_some() {
                    format!(
                        "below the minimum {reorder_point:.1}, up to the maximum {order_up_to:.1}"
                    )
                } else {
                    "to reach the order-up-to level".to_string()
                };
                (ordered, format!("{ordered} units ({packs} packs): {why}"))
            }
        }
    };
    Ok(Suggestion {
        product: p.product.clone(),
        safety_stock,
        reorder_point,
        order_up_to,
        position,
        eoq,
        raw_order,
        expiry_cap,
        order,
        cover: (p.mean_demand > 0.0).then(|| position / p.mean_demand),
        reason,
    })
}

/// Suggestions for many products, in the order of the positions (ranking, by `cover` or
/// otherwise, is the caller's).
pub fn suggest_many(positions: &[StockPosition]) -> Result<Vec<Suggestion>> {
    positions.iter().map(suggest).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos() -> StockPosition {
        StockPosition {
            product: "AMOX500".into(),
            mean_demand: 100.0,
            sigma: 20.0,
            on_hand: 150.0,
            on_order: 0.0,
            lead_time: 1.0,
            review_period: 1.0,
            service_level: 0.95,
            pack_size: 10.0,
            moq: 50.0,
            shelf_life: None,
            ordering_cost: None,
            holding_cost: None,
            min_max: None,
            target_stock: None,
        }
    }

    #[test]
    fn normal_quantile_matches_tables() {
        assert!((normal_quantile(0.95) - 1.644_853_627).abs() < 1e-8);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.01) + 2.326_347_874).abs() < 1e-8);
    }

    #[test]
    fn order_up_to_rounded_to_packs() {
        let s = suggest(&pos()).unwrap();
        // SS = 1.645 × 20 × √2 = 46.5; S = 200 + 46.5 = 246.5; order 96.5 → 100 (10 packs).
        assert!((s.safety_stock - 46.52).abs() < 0.01);
        assert_eq!(s.order, 100.0);
        assert_eq!(s.cover, Some(1.5));
    }

    #[test]
    fn the_expiry_cap_limits_the_order() {
        // Sells 100 a period; 50 of today's 150 units are still on the shelf when the order
        // arrives and sell first, so in one period of shelf life only 50 new units can sell.
        let mut p = pos();
        p.shelf_life = Some(1.0);
        p.on_hand = 150.0;
        let s = suggest(&p).unwrap();
        assert_eq!(s.expiry_cap, Some(50.0));
        assert_eq!(s.order, 50.0);
        p.shelf_life = Some(0.9);
        let s = suggest(&p).unwrap();
        assert_eq!(s.order, 0.0, "{}", s.reason);
        assert!(s.reason.contains("expiry cap"));
    }

    #[test]
    fn rows_come_in_the_positions_order() {
        // A has five times B's cover and still comes first: ranking is the caller's.
        let mut a = pos();
        a.product = "A".into();
        a.on_hand = 500.0;
        let b = pos();
        let r = suggest_many(&[a, b]).unwrap();
        let names: Vec<&str> = r.iter().map(|s| s.product.as_str()).collect();
        assert_eq!(names, ["A", "AMOX500"]);
        assert!(r[0].cover > r[1].cover);
    }
}
