//! Money arithmetic: currencies and their minor units, rounding modes, cash rounding, and the
//! largest-remainder split that makes parts add up to their whole exactly.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};

/// How a half minor unit is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 0.005 → 0.01 and -0.005 → -0.01 (away from zero): the usual commercial rule.
    #[default]
    HalfUp,
    /// 0.005 → 0.00, 0.015 → 0.02 (to the even neighbour): banker's rounding.
    HalfEven,
}

impl RoundingMode {
    pub(crate) fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// Where tax is rounded to the minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RoundingLevel {
    /// Each line's tax is rounded; the invoice's tax is the sum of the rounded lines.
    #[default]
    Line,
    /// Each tax head is summed unrounded over the invoice and rounded once; the rounded total
    /// is then split back over the lines by largest remainder so the lines still add up.
    Invoice,
}

/// Which way cash rounding goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum CashDirection {
    /// To the nearest increment; a tie follows the invoice's rounding mode.
    #[default]
    Nearest,
    /// Up to the next increment.
    Up,
    /// Down to the previous increment.
    Down,
}

/// Rounding of the payable total to a cash increment (0.05, 0.50, 1.00), shown as its own
/// round-off line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CashRounding {
    /// The increment, e.g. `"1.00"` for the rupee.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub increment: Decimal,
    /// Nearest, up or down.
    #[serde(default)]
    pub direction: CashDirection,
}

/// The rounding regime of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Half-up or half-even.
    #[serde(default)]
    pub mode: RoundingMode,
    /// Per line or per invoice.
    #[serde(default)]
    pub level: RoundingLevel,
    /// Cash rounding of the payable total, if any.
    #[serde(default)]
    pub cash: Option<CashRounding>,
}

/// Minor units of an ISO 4217 currency (INR 2, JPY 0, KWD 3), for the currencies a pharmacy
/// is likely to bill in. Others need `minor_units` on the invoice.
pub fn minor_units(currency: &str) -> Option<u32> {
    Some(match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" | "RWF" => 0,
        "KWD" | "BHD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
        "INR" | "USD" | "EUR" | "GBP" | "CHF" | "CAD" | "AUD" | "NZD" | "SGD" | "HKD" | "CNY"
        | "AED" | "SAR" | "QAR" | "ZAR" | "NGN" | "KES" | "GHS" | "EGP" | "PKR" | "BDT" | "LKR"
        | "NPR" | "MYR" | "THB" | "PHP" | "IDR" | "BRL" | "MXN" | "ARS" | "COP" | "PEN" | "SEK"
        | "NOK" | "DKK" | "PLN" | "CZK" | "HUF" | "RON" | "BGN" | "TRY" | "ILS" | "RUB" | "UAH"
        | "TWD" => 2,
        _ => return None,
    })
}

/// The money context of one invoice: its currency's minor units and the rounding mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// Digits after the decimal point.
    pub dp: u32,
    /// Half-up or half-even.
    pub mode: RoundingMode,
}

impl Money {
    /// A context for `currency`, with `override_dp` where the currency is not in the table.
    pub fn new(currency: &str, override_dp: Option<i32>, mode: RoundingMode) -> Result<Self> {
        let dp = match override_dp {
            Some(d) if (0..=6).contains(&d) => d as u32,
            Some(d) => {
                return Err(BillingError::InvalidInput(format!(
                    "minor_units {d} must be between 0 and 6"
                )));
            }
            None => minor_units(currency).ok_or_else(|| {
                BillingError::InvalidInput(format!(
                    "currency {currency:?} has no known minor units; give minor_units"
                ))
            })?,
        };
        Ok(Self { dp, mode })
    }

    /// Rounds to the minor unit.
    pub fn round(&self, d: Decimal) -> Decimal {
        if d.scale() <= self.dp {
            return self.scaled(d);
        }
        let mut r = d.round_dp_with_strategy(self.dp, self.mode.strategy());
        r.rescale(self.dp);
        r
    }

    /// `d` at exactly the minor-unit scale (`5` → `5.00`); `d` must already be rounded.
    pub fn scaled(&self, mut d: Decimal) -> Decimal {
        if d.scale() != self.dp {
            d.rescale(self.dp);
        }
        d
    }

    /// The smallest unit: 0.01 for two decimals.
    pub fn unit(&self) -> Decimal {
        Decimal::new(1, self.dp)
    }

    /// Refuses a negative amount or one finer than the minor unit.
    pub fn check(&self, field: impl Fn() -> String, d: Decimal) -> Result<Decimal> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(BillingError::InvalidAmount {
                field: field(),
                value: d,
                why: "must not be negative".into(),
            });
        }
        if above(d, crate::MAX_TOTAL) {
            return Err(BillingError::AmountOutOfRange {
                field: field(),
                value: d,
                why: format!("is above the largest amount, {}", crate::MAX_TOTAL),
            });
        }
        if d.scale() > self.dp && d.normalize().scale() > self.dp {
            return Err(BillingError::InvalidAmount {
                field: field(),
                value: d,
                why: format!("has more than {} decimal places", self.dp),
            });
        }
        Ok(self.scaled(d))
    }

    /// Rounds `amount` to the cash increment (`None`: unchanged).
    pub fn cash(&self, amount: Decimal, cash: Option<&CashRounding>) -> Decimal {
        let Some(c) = cash else { return amount };
        let steps = amount / c.increment;
        let whole = match c.direction {
            CashDirection::Nearest => steps.round_dp_with_strategy(0, self.mode.strategy()),
            CashDirection::Up => {
                steps.round_dp_with_strategy(0, RoundingStrategy::ToPositiveInfinity)
            }
            CashDirection::Down => {
                steps.round_dp_with_strategy(0, RoundingStrategy::ToNegativeInfinity)
            }
        };
        self.round(whole * c.increment)
    }

    /// Splits `total` (a whole number of minor units, ≥ 0) over `weights` (≥ 0) in proportion,
    /// so that the parts are whole minor units and add up to `total` exactly: each part is its
    /// share rounded down, and the minor units left over go one each to the largest remainders
    /// (ties to the earlier part). All weights zero: the total goes to the first part.
    pub fn split(&self, total: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
        let zero = self.scaled(Decimal::ZERO);
        let mut parts = vec![zero; weights.len()];
        if weights.is_empty() || total.is_zero() {
            return parts;
        }
        let sum: Decimal = weights.iter().sum();
        if sum.is_zero() {
            parts[0] = self.scaled(total);
            return parts;
        }
        if let Some(parts) = self.split_exact(total, weights, sum) {
            return parts;
        }
        let unit = self.unit();
        let mut remainders = Vec::with_capacity(weights.len());
        let mut given = Decimal::ZERO;
        for (i, w) in weights.iter().enumerate() {
            // `total × w` can pass Decimal's range for large invoices (10²¹ × 10¹⁷); then the
            // weight's fraction is taken first, which cannot (it is at most 1).
            let share = total
                .checked_mul(*w)
                .map_or_else(|| total * (*w / sum), |tw| tw / sum);
            let floor = share.round_dp_with_strategy(self.dp, RoundingStrategy::ToZero);
            parts[i] = self.scaled(floor);
            given += floor;
            remainders.push((share - floor, i));
        }
        let mut left = ((total - given) / unit).round().mantissa();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders.iter().cycle() {
            if left <= 0 {
                break;
            }
            parts[*i] += unit;
            left -= 1;
        }
        parts
    }
}

impl Money {
    /// `n / d` minor units (`n ≥ 0`, `d > 0`), rounded by the mode: exact, so a half is a half.
    pub(crate) fn round_ratio(&self, n: i128, d: i128) -> Option<Decimal> {
        let q = self.round_units(n, d)?;
        Some(Decimal::from_i128_with_scale(q, self.dp))
    }

    /// [`Money::round_ratio`] as minor units (below 2⁹⁵, so a `Decimal` can hold them).
    pub(crate) fn round_units(&self, n: i128, d: i128) -> Option<i128> {
        if n < 0 || d <= 0 {
            return None;
        }
        let (q, r) = div_rem(n, d);
        let up = match (2 * r).cmp(&d) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => match self.mode {
                RoundingMode::HalfUp => true,
                RoundingMode::HalfEven => q % 2 == 1,
            },
        };
        let q = q + i128::from(up);
        (q < 1i128 << 95).then_some(q)
    }

    /// [`Money::split`] in integer minor units, when the total and every weight are whole minor
    /// units (the usual case: amounts already rounded): exact, and no decimal division.
    fn split_exact(
        &self,
        total: Decimal,
        weights: &[Decimal],
        sum: Decimal,
    ) -> Option<Vec<Decimal>> {
        let w: Vec<i128> = weights
            .iter()
            .map(|w| self.units(*w))
            .collect::<Option<_>>()?;
        self.split_units(self.units(total)?, &w, self.units(sum)?)
    }

    /// [`Money::split`] in integers: `t` minor units over the weights `w` summing to `s`, each
    /// part `t·wᵢ / s` rounded down and the units left given by largest remainder (ties to the
    /// earlier part). `None` when a product leaves `i128` or the sum is not positive.
    pub(crate) fn split_units(&self, t: i128, w: &[i128], s: i128) -> Option<Vec<Decimal>> {
        if t < 0 || s <= 0 {
            return None;
        }
        let mut parts = Vec::with_capacity(w.len());
        let mut rems = Vec::with_capacity(w.len());
        let mut given = 0i128;
        for (i, w) in w.iter().enumerate() {
            let (p, r) = div_rem(t.checked_mul(*w)?, s);
            parts.push(p);
            rems.push((r, i));
            given += p;
        }
        // Each part lost less than one unit to its floor, so fewer units are left than parts:
        // each of the `left` largest remainders gets one, found without sorting them all.
        let left = (t - given) as usize;
        if left > 0 {
            let order = |a: &(i128, usize), b: &(i128, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            if left < rems.len() {
                rems.select_nth_unstable_by(left - 1, order);
            } else {
                // Only when `s` is not the weights' sum: the remainders in order, round and round.
                rems.sort_unstable_by(order);
            }
            for &(_, i) in rems.iter().cycle().take(left) {
                parts[i] += 1;
            }
        }
        Some(
            parts
                .into_iter()
                .map(|p| Decimal::from_i128_with_scale(p, self.dp))
                .collect(),
        )
    }

    /// `d` in minor units, when it has no more decimals than the currency.
    pub(crate) fn units(&self, d: Decimal) -> Option<i128> {
        let shift = self.dp.checked_sub(d.scale())?;
        d.mantissa().checked_mul(10i128.pow(shift))
    }

    /// `price × n` rounded to the currency's scale: in integers when the price has no more
    /// decimals than the currency (then nothing is rounded). The caller has checked that the
    /// product is within the largest line value.
    pub(crate) fn times(&self, price: Decimal, n: i64) -> Decimal {
        let units = self.units(price).and_then(|u| u.checked_mul(i128::from(n)));
        if let Some(Ok(d)) = units.map(|u| Decimal::try_from_i128_with_scale(u, self.dp)) {
            return d;
        }
        self.round(price * Decimal::from(n))
    }

    /// `a + b` (`sign` 1) or `a − b` (`sign` −1): in integers when both are whole minor units
    /// of the currency, as most amounts of a priced line are.
    pub(crate) fn add(&self, a: Decimal, b: Decimal, sign: i128) -> Decimal {
        if a.scale() == self.dp && b.scale() == self.dp {
            let units = a.mantissa() + sign * b.mantissa();
            if let Ok(d) = Decimal::try_from_i128_with_scale(units, self.dp) {
                return d;
            }
        }
        if sign < 0 { a - b } else { a + b }
    }

    /// Σ of amounts at the currency's scale: whole minor units are added as integers, anything
    /// else as `Decimal`.
    pub(crate) fn sum(&self, amounts: impl IntoIterator<Item = Decimal>) -> Decimal {
        let mut acc = Sum::default();
        for d in amounts {
            acc.add(self, d);
        }
        acc.get(self)
    }
}

/// A running sum of amounts: those in whole minor units of the currency (nearly all of them)
/// as an integer, any other as `Decimal`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    units: i128,
    rest: Decimal,
}

impl Sum {
    pub(crate) fn add(&mut self, money: &Money, d: Decimal) {
        if d.scale() == money.dp {
            self.units += d.mantissa();
        } else {
            self.rest += d;
        }
    }

    /// The sum, at the currency's scale.
    pub(crate) fn get(&self, money: &Money) -> Decimal {
        let units = Decimal::from_i128_with_scale(self.units, money.dp);
        if self.rest.is_zero() {
            units
        } else {
            money.scaled(units + self.rest)
        }
    }
}

/// `n / d` and `n % d` for `n ≥ 0`, `d > 0`: a 64-bit division where the operands allow (an
/// `i128` one is a library call).
fn div_rem(n: i128, d: i128) -> (i128, i128) {
    match (u64::try_from(n), u64::try_from(d)) {
        (Ok(n), Ok(d)) => (i128::from(n / d), i128::from(n % d)),
        _ => (n / d, n % d),
    }
}

/// `v > max` for a whole-number `max`, answered without aligning scales when `v`'s digits
/// alone are not above `max` (its value is at most its digits).
pub(crate) fn above(v: Decimal, max: Decimal) -> bool {
    if max.scale() == 0 && v.mantissa() <= max.mantissa() {
        return false;
    }
    v > max
}

/// Refuses a value read back from a stored document (a priced invoice, a credit note) whose
/// magnitude is beyond `max`: such documents come from callers, and every sum over them must
/// stay in range.
pub(crate) fn bounded(field: impl Fn() -> String, v: Decimal, max: Decimal) -> Result<()> {
    if v.abs() > max {
        return Err(BillingError::AmountOutOfRange {
            field: field(),
            value: v,
            why: format!("is beyond {max}, more than a document priced here can hold"),
        });
    }
    Ok(())
}

/// Refuses more than `max` items.
pub(crate) fn at_most(what: &str, count: usize, max: usize) -> Result<()> {
    if count > max {
        return Err(BillingError::LimitExceeded {
            what: what.into(),
            count,
            max,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn inr(mode: RoundingMode) -> Money {
        Money::new("INR", None, mode).unwrap()
    }

    #[test]
    fn half_up_and_half_even_differ_only_on_ties() {
        assert_eq!(inr(RoundingMode::HalfUp).round(dec!(2.345)), dec!(2.35));
        assert_eq!(inr(RoundingMode::HalfEven).round(dec!(2.345)), dec!(2.34));
        assert_eq!(inr(RoundingMode::HalfEven).round(dec!(2.355)), dec!(2.36));
        assert_eq!(inr(RoundingMode::HalfEven).round(dec!(2.3451)), dec!(2.35));
        assert_eq!(inr(RoundingMode::HalfUp).round(dec!(-2.345)), dec!(-2.35));
        assert_eq!(inr(RoundingMode::HalfUp).round(dec!(5)).to_string(), "5.00");
    }

    #[test]
    fn yen_has_no_minor_unit() {
        let jpy = Money::new("JPY", None, RoundingMode::HalfUp).unwrap();
        assert_eq!(jpy.round(dec!(1234.5)).to_string(), "1235");
        assert!(Money::new("XXX", None, RoundingMode::HalfUp).is_err());
        assert_eq!(
            Money::new("XXX", Some(3), RoundingMode::HalfUp).unwrap().dp,
            3
        );
    }

    #[test]
    fn cash_rounding_each_way() {
        let m = inr(RoundingMode::HalfUp);
        let rupee = |direction| CashRounding {
            increment: dec!(1),
            direction,
        };
        assert_eq!(
            m.cash(dec!(104.50), Some(&rupee(CashDirection::Nearest))),
            dec!(105.00)
        );
        assert_eq!(
            m.cash(dec!(104.49), Some(&rupee(CashDirection::Nearest))),
            dec!(104.00)
        );
        assert_eq!(
            m.cash(dec!(104.01), Some(&rupee(CashDirection::Up))),
            dec!(105.00)
        );
        assert_eq!(
            m.cash(dec!(104.99), Some(&rupee(CashDirection::Down))),
            dec!(104.00)
        );
        let nickel = CashRounding {
            increment: dec!(0.05),
            direction: CashDirection::Nearest,
        };
        assert_eq!(m.cash(dec!(9.97), Some(&nickel)), dec!(9.95));
        assert_eq!(m.cash(dec!(9.98), Some(&nickel)), dec!(10.00));
        let even = inr(RoundingMode::HalfEven);
        assert_eq!(
            even.cash(dec!(104.50), Some(&rupee(CashDirection::Nearest))),
            dec!(104.00)
        );
    }

    #[test]
    fn split_adds_up_and_favours_largest_remainders() {
        let m = inr(RoundingMode::HalfUp);
        let parts = m.split(dec!(10.00), &[dec!(1), dec!(1), dec!(1)]);
        assert_eq!(parts, vec![dec!(3.34), dec!(3.33), dec!(3.33)]);
        let parts = m.split(dec!(1.00), &[dec!(33), dec!(33), dec!(34)]);
        assert_eq!(parts.iter().sum::<Decimal>(), dec!(1.00));
        assert_eq!(parts, vec![dec!(0.33), dec!(0.33), dec!(0.34)]);
        assert_eq!(
            m.split(dec!(0.05), &[dec!(0), dec!(0)]),
            vec![dec!(0.05), dec!(0.00)]
        );
    }

    proptest::proptest! {
        /// The split by selection equals the split by sorting every remainder (largest first,
        /// ties to the earlier part), and the parts add up to the total.
        #[test]
        fn split_units_gives_the_largest_remainders(
            t in 0i128..100_000,
            w in proptest::collection::vec(0i128..1_000, 1..40),
        ) {
            let m = inr(RoundingMode::HalfUp);
            let s: i128 = w.iter().sum();
            proptest::prop_assume!(s > 0);
            let got = m.split_units(t, &w, s).unwrap();
            let mut want: Vec<i128> = w.iter().map(|x| t * x / s).collect();
            let mut rems: Vec<(i128, usize)> = w.iter().enumerate().map(|(i, x)| (t * x % s, i)).collect();
            rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let left = t - want.iter().sum::<i128>();
            for &(_, i) in rems.iter().take(left as usize) {
                want[i] += 1;
            }
            let want: Vec<Decimal> = want.into_iter().map(|p| Decimal::from_i128_with_scale(p, 2)).collect();
            proptest::prop_assert_eq!(&got, &want);
            proptest::prop_assert_eq!(got.iter().map(|d| d.mantissa()).sum::<i128>(), t);
        }
    }
}
