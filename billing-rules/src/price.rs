//! Pricing an invoice as named stages: [`validate`] the request, price the [`items`] (quantity,
//! free scheme, MRP, line discount), spread the [`invoice_discount`], add the [`charges`],
//! compute the [`taxes`] (per line or once per invoice) and sum the [`totals`] (round-off,
//! co-pay, payments, amount in words).

use rust_decimal::Decimal;

use crate::error::{BillingError, Result};
use crate::invoice::{
    CategorySummary, InvoiceRequest, InvoiceTotals, LineKind, PricedInvoice, PricedLine, Supply,
    TaxAmount, TaxTotal, TaxTreatment,
};
use crate::money::{Money, RoundingLevel, Sum, above};
use crate::rules::{TaxRule, TaxRules};
use crate::tax::{Exact, Head, PERCENT, affine, check_line_total, forward, percent_factor};

/// What pricing keeps beside a line until the totals.
struct Meta<'r> {
    heads: &'r [Head],
    /// Category-summary slot: rule index × 2 + supply.
    slot: Option<usize>,
    /// Amount after discounts, in the price's terms (tax included or not).
    amount: Decimal,
}

/// The lines on their way through pricing, and beside each its [`Meta`] (kept apart so that
/// the lines become the invoice's without being moved).
struct Work<'r> {
    lines: Vec<PricedLine>,
    meta: Vec<Meta<'r>>,
}

fn percent_field(field: impl Fn() -> String, p: Option<Decimal>, a: Option<Decimal>) -> Result<()> {
    if p.is_some() && a.is_some() {
        return Err(BillingError::InvalidInput(format!(
            "{}: give a discount percent or a discount amount, not both",
            field()
        )));
    }
    if let Some(p) = p
        && (p.is_sign_negative() && !p.is_zero() || p > Decimal::ONE_HUNDRED)
    {
        return Err(BillingError::InvalidAmount {
            field: format!("{} discount_percent", field()),
            value: p,
            why: "must be between 0 and 100".into(),
        });
    }
    Ok(())
}

fn rule_for<'a>(
    rules: &'a TaxRules,
    line_no: i64,
    category: &str,
    req: &InvoiceRequest,
    supply: Supply,
) -> Result<(&'a TaxRule, &'a [Head], usize)> {
    let (r, heads, i) =
        rules.rule_in_force(line_no, category, req.place_of_supply.as_deref(), req.date)?;
    if !r.taxes.is_empty() {
        return Err(BillingError::InvalidField {
            field: format!("lines[{}].tax_category", line_no - 1),
            why: format!(
                "the rule for {category:?} is in the general tax model (taxes): price it with price_document"
            ),
        });
    }
    Ok((r, &heads[supply as usize], i * 2 + supply as usize))
}

/// Whether `price × units × k` is at most [`crate::MAX_LINE_TOTAL`], in integers: the digits'
/// product against the largest line value at the product's scale. `false` when it is above or
/// the integers would overflow (then [`check_line_total`] decides).
fn within_line_total(price: Decimal, units: i64, k: Decimal) -> bool {
    let scale = price.scale() + k.scale();
    let product = price
        .mantissa()
        .checked_mul(i128::from(units))
        .and_then(|p| p.checked_mul(k.mantissa()));
    let max = 10i128
        .checked_pow(scale)
        .and_then(|p| p.checked_mul(crate::MAX_LINE_TOTAL.mantissa()));
    matches!((product, max), (Some(p), Some(m)) if p <= m)
}

fn treatment(rule: Option<&TaxRule>) -> TaxTreatment {
    match rule {
        None => TaxTreatment::Exempt,
        Some(r) if r.exempt => TaxTreatment::Exempt,
        Some(r) if r.components.iter().all(|c| c.rate.is_zero()) => TaxTreatment::ZeroRated,
        Some(_) => TaxTreatment::Taxable,
    }
}

/// Prices an invoice (see [`TaxRules::price`]), stage by stage.
pub fn price(rules: &TaxRules, req: &InvoiceRequest) -> Result<PricedInvoice> {
    let money = Money::new(&req.currency, req.minor_units, req.rounding.mode)?;
    validate(req, &money)?;
    let p = Pricing {
        rules,
        req,
        supply: Supply::between(req.seller_region.as_deref(), req.place_of_supply.as_deref()),
        zero: money.scaled(Decimal::ZERO),
        money,
    };
    let mut work = p.items()?;
    let invoice_discount = p.invoice_discount(&mut work.lines, &mut work.meta)?;
    p.charges(&mut work)?;
    p.taxes(&mut work)?;
    p.totals(work, invoice_discount)
}

/// The request's own fields: at least one line, the limits, the cash rounding increment and
/// the invoice discount amount in the currency's minor unit.
fn validate(req: &InvoiceRequest, money: &Money) -> Result<()> {
    if req.lines.is_empty() {
        return Err(BillingError::InvalidInput(
            "an invoice needs at least one line".into(),
        ));
    }
    if req.lines.len() > crate::MAX_INVOICE_LINES {
        return Err(BillingError::LimitExceeded {
            what: "lines".into(),
            count: req.lines.len(),
            max: crate::MAX_INVOICE_LINES,
        });
    }
    if req.charges.len() > crate::MAX_CHARGES {
        return Err(BillingError::LimitExceeded {
            what: "charges".into(),
            count: req.charges.len(),
            max: crate::MAX_CHARGES,
        });
    }
    if let Some(c) = &req.rounding.cash {
        if c.increment <= Decimal::ZERO {
            return Err(BillingError::InvalidAmount {
                field: "rounding.cash.increment".into(),
                value: c.increment,
                why: "must be positive".into(),
            });
        }
        money.check(|| "rounding.cash.increment".into(), c.increment)?;
        if c.increment > crate::MAX_AMOUNT {
            return Err(BillingError::AmountOutOfRange {
                field: "rounding.cash.increment".into(),
                value: c.increment,
                why: format!("is above {}", crate::MAX_AMOUNT),
            });
        }
    }
    if let Some(d) = req.discount_amount {
        money.check(|| "discount_amount".into(), d)?;
    }
    Ok(())
}

/// One invoice being priced: the rules, the request, its currency and supply.
struct Pricing<'a> {
    rules: &'a TaxRules,
    req: &'a InvoiceRequest,
    money: Money,
    supply: Supply,
    /// Zero at the currency's scale.
    zero: Decimal,
}

impl<'a> Pricing<'a> {
    /// The item lines: quantity, free scheme, the rule in force, the MRP ceiling, the gross
    /// amount and the line discount.
    fn items(&self) -> Result<Work<'a>> {
        let (rules, req, money, supply, zero) =
            (self.rules, self.req, &self.money, self.supply, self.zero);
        let n_lines = req.lines.len() + req.charges.len();
        let mut work = Work {
            lines: Vec::with_capacity(n_lines),
            meta: Vec::with_capacity(n_lines),
        };
        // A category's rule, heads, summary slot and, when its heads have no fixed amount,
        // the factor `k` of price to price with tax (checked once per category).
        type Found<'r> = (&'r TaxRule, &'r [Head], usize, Option<Decimal>);
        let mut seen: Vec<(&str, Found<'_>)> = Vec::new();
        for (i, l) in req.lines.iter().enumerate() {
            let n = i as i64 + 1;
            let at = |f: &'static str| move || format!("line {n} {f}");
            if l.qty <= 0 || l.qty > 1_000_000_000 {
                return Err(BillingError::InvalidQuantity {
                    line: n,
                    qty: l.qty,
                    why: "must be between 1 and 1,000,000,000".into(),
                });
            }
            if l.product.trim().is_empty() {
                return Err(BillingError::InvalidInput(format!(
                    "line {n}: product is empty"
                )));
            }
            if l.unit_price.is_sign_negative() && !l.unit_price.is_zero() {
                return Err(BillingError::InvalidAmount {
                    field: at("unit_price")(),
                    value: l.unit_price,
                    why: "must not be negative".into(),
                });
            }
            for (f, v) in [
                ("unit_price", Some(l.unit_price)),
                ("mrp", l.mrp),
                ("discount_amount", l.discount_amount),
            ] {
                if let Some(v) = v.filter(|v| above(*v, crate::MAX_AMOUNT)) {
                    return Err(BillingError::AmountOutOfRange {
                        field: format!("lines[{i}].{f}"),
                        value: v,
                        why: format!("is above the largest amount, {}", crate::MAX_AMOUNT),
                    });
                }
            }
            percent_field(at(""), l.discount_percent, l.discount_amount)?;
            let free = match l.scheme {
                None => 0,
                Some(s) if s.buy >= 1 && s.get >= 1 => l.qty / (s.buy + s.get) * s.get,
                Some(s) => {
                    return Err(BillingError::InvalidInput(format!(
                        "line {n}: scheme buy {} get {} needs both at least 1",
                        s.buy, s.get
                    )));
                }
            };
            let billed = l.qty - free;
            // Lines of an invoice share a few categories: look each up once.
            let found = match seen.iter().find(|(c, _)| *c == l.tax_category) {
                Some((_, f)) => *f,
                None => {
                    let (r, h, slot) = rule_for(rules, n, &l.tax_category, req, supply)?;
                    let f = (r, h, slot, percent_factor(h));
                    seen.push((&l.tax_category, f));
                    f
                }
            };
            let (rule, heads, slot, k) = found;
            let units = billed.max(1);
            if !k.is_some_and(|k| within_line_total(l.unit_price, units, k)) {
                check_line_total(heads, l.unit_price, units, || format!("lines[{i}]"))?;
            }
            if let Some(mrp) = l.mrp {
                money.check(at("mrp"), mrp)?;
                let with_tax = if l.price_includes_tax {
                    l.unit_price
                } else {
                    let (k, c) = affine(heads, 1);
                    money.round(l.unit_price * k + c)
                };
                if with_tax > mrp {
                    return Err(BillingError::PriceAboveMrp {
                        line: n,
                        product: l.product.to_string(),
                        price: with_tax,
                        mrp,
                    });
                }
            }
            let gross = money.times(l.unit_price, billed);
            let discount = match (l.discount_percent, l.discount_amount) {
                (Some(p), _) => money.round(gross * p * PERCENT),
                (_, Some(a)) => {
                    let a = money.check(at("discount_amount"), a)?;
                    if a > gross {
                        return Err(BillingError::DiscountTooLarge {
                            scope: format!("line {n}"),
                            discount: a,
                            amount: gross,
                        });
                    }
                    a
                }
                _ => zero,
            };
            work.lines.push(PricedLine {
                line_no: n,
                kind: LineKind::Item,
                product: l.product.clone(),
                batch: l.batch.clone(),
                description: l.description.clone(),
                tax_category: Some(l.tax_category.clone()),
                qty: l.qty,
                free_qty: free,
                billed_qty: billed,
                unit_price: l.unit_price,
                price_includes_tax: l.price_includes_tax,
                mrp: l.mrp.map(|m| money.scaled(m)),
                gross,
                discount,
                invoice_discount: zero,
                taxable: zero,
                taxes: Vec::new(),
                tax: zero,
                total: zero,
                treatment: treatment(Some(rule)),
            });
            work.meta.push(Meta {
                heads,
                slot: Some(slot),
                amount: money.add(gross, discount, -1),
            });
        }
        Ok(work)
    }

    /// The invoice discount, spread over the items by largest remainder.
    fn invoice_discount(&self, lines: &mut [PricedLine], meta: &mut [Meta<'a>]) -> Result<Decimal> {
        let (req, money, zero) = (self.req, &self.money, self.zero);
        let net: Vec<Decimal> = meta.iter().map(|m| m.amount).collect();
        let net_sum: Decimal = net.iter().sum();
        percent_field(
            || "invoice".into(),
            req.discount_percent,
            req.discount_amount,
        )?;
        let invoice_discount = match (req.discount_percent, req.discount_amount) {
            (Some(p), _) => money.round(net_sum * p * PERCENT),
            (_, Some(a)) => money.check(|| "invoice discount_amount".into(), a)?,
            _ => zero,
        };
        if invoice_discount > net_sum {
            return Err(BillingError::DiscountTooLarge {
                scope: "invoice".into(),
                discount: invoice_discount,
                amount: net_sum,
            });
        }
        for ((l, m), part) in lines
            .iter_mut()
            .zip(meta.iter_mut())
            .zip(money.split(invoice_discount, &net))
        {
            l.invoice_discount = part;
            m.amount = money.add(m.amount, part, -1);
        }
        Ok(invoice_discount)
    }

    /// The additional charges (freight, delivery), each taxed by its own category if it has one.
    fn charges(&self, work: &mut Work<'a>) -> Result<()> {
        let (rules, req, money, supply, zero) =
            (self.rules, self.req, &self.money, self.supply, self.zero);
        for (j, c) in req.charges.iter().enumerate() {
            let n = (req.lines.len() + j) as i64 + 1;
            let amount = money.check(|| format!("charge {:?} amount", c.name), c.amount)?;
            let found = match &c.tax_category {
                Some(cat) => Some(rule_for(rules, n, cat, req, supply)?),
                None => None,
            };
            check_line_total(found.map_or(&[], |f| f.1), amount, 1, || {
                format!("charges[{j}]")
            })?;
            work.lines.push(PricedLine {
                line_no: n,
                kind: LineKind::Charge,
                product: c.name.clone(),
                batch: None,
                description: None,
                tax_category: c.tax_category.clone(),
                qty: 1,
                free_qty: 0,
                billed_qty: 1,
                unit_price: amount,
                price_includes_tax: c.price_includes_tax,
                mrp: None,
                gross: amount,
                discount: zero,
                invoice_discount: zero,
                taxable: zero,
                taxes: Vec::new(),
                tax: zero,
                total: zero,
                treatment: treatment(found.map(|f| f.0)),
            });
            work.meta.push(Meta {
                heads: found.map_or(&[], |f| f.1),
                slot: found.map(|f| f.2),
                amount,
            });
        }
        Ok(())
    }

    /// Taxes per head, rounded per line or once per invoice, and each line's taxable value,
    /// tax and total.
    fn taxes(&self, work: &mut Work<'a>) -> Result<()> {
        let (rules, req, money) = (self.rules, self.req, &self.money);
        match req.rounding.level {
            RoundingLevel::Line => {
                for (l, m) in work.lines.iter_mut().zip(&work.meta) {
                    let tax = match exact_taxes(l, m, money) {
                        Some((taxes, units)) => {
                            l.taxes = taxes;
                            Decimal::from_i128_with_scale(units, money.dp)
                        }
                        None => {
                            l.taxes = named(m.heads, line_taxes(l, m, money, Some(money))?);
                            money.sum(l.taxes.iter().map(|t| t.amount))
                        }
                    };
                    settle(l, m, tax, money);
                }
            }
            RoundingLevel::Invoice => {
                for (l, m) in work.lines.iter_mut().zip(&work.meta) {
                    l.taxes = named(m.heads, m.heads.iter().map(|_| self.zero));
                }
                invoice_rounded(&mut work.lines, &work.meta, rules.head_keys(), money)?;
                for (l, m) in work.lines.iter_mut().zip(&work.meta) {
                    settle(l, m, money.sum(l.taxes.iter().map(|t| t.amount)), money);
                }
            }
        }
        Ok(())
    }

    /// The invoice: per-head totals, the category summary, sums, cash round-off, co-pay,
    /// payments and the amount in words.
    fn totals(self, work: Work<'a>, invoice_discount: Decimal) -> Result<PricedInvoice> {
        let (rules, req, money, supply) = (self.rules, self.req, &self.money, self.supply);
        let s = Sums::of(&work, rules.head_keys(), rules.len() * 2, money);
        let (taxes, category_summary) = (s.heads(money), s.categories(money));
        let [gross, line_discounts, taxable, tax, charges_total] = s.lines.map(|x| x.get(money));
        let lines = work.lines;
        let total_before_round_off = taxable + tax;
        let copay = match &req.copay {
            Some(plan) => Some(crate::copay::split(plan, &lines, money)?),
            None => None,
        };
        let cash_base = copay.as_ref().map_or(total_before_round_off, |c| c.patient);
        let round_off = money.cash(cash_base, req.rounding.cash.as_ref()) - cash_base;
        let grand_total = total_before_round_off + round_off;
        let payable = cash_base + round_off;
        let settlement = if req.payments.is_empty() {
            None
        } else {
            Some(crate::payment::settle_with(money, payable, &req.payments)?)
        };
        let amount_in_words = match req.words {
            Some(style) => Some(crate::words::amount_in_words(
                grand_total,
                &req.currency,
                style,
            )?),
            None => None,
        };
        let totals = InvoiceTotals {
            gross,
            line_discounts,
            invoice_discount,
            charges_total,
            taxable,
            tax,
            total_before_round_off,
            round_off,
            grand_total,
            payable,
        };
        Ok(PricedInvoice {
            number: req.number.clone(),
            date: req.date,
            currency: req.currency.clone(),
            minor_units: i64::from(money.dp),
            rounding: req.rounding.clone(),
            supply,
            taxes,
            category_summary,
            lines,
            totals,
            copay,
            settlement,
            amount_in_words,
        })
    }
}

fn base(l: &PricedLine, m: &Meta<'_>, money: &Money) -> Result<Decimal> {
    if !l.price_includes_tax {
        return Ok(m.amount);
    }
    let (k, c) = affine(m.heads, l.billed_qty);
    if c > m.amount {
        return Err(BillingError::InvalidAmount {
            field: format!("line {} amount", l.line_no),
            value: m.amount,
            why: format!("is less than its fixed taxes {}", money.round(c)),
        });
    }
    Ok((m.amount - c) / k)
}

/// A line's taxes in head order by [`forward`] from its taxable value, rounded per head when
/// `round` is given.
fn line_taxes(
    l: &PricedLine,
    m: &Meta<'_>,
    money: &Money,
    round: Option<&Money>,
) -> Result<Vec<Decimal>> {
    Ok(forward(m.heads, base(l, m, money)?, l.billed_qty, round))
}

/// Each head's tax with the head's name and rate.
fn named(heads: &[Head], amounts: impl IntoIterator<Item = Decimal>) -> Vec<TaxAmount> {
    heads
        .iter()
        .zip(amounts)
        .map(|(h, amount)| TaxAmount {
            name: h.name.clone(),
            rate: h.rate,
            amount,
        })
        .collect()
}

/// A line's tax, taxable value and total from its tax (the sum of its taxes).
fn settle(l: &mut PricedLine, m: &Meta<'_>, tax: Decimal, money: &Money) {
    l.tax = tax;
    l.taxable = if l.price_includes_tax {
        money.add(m.amount, tax, -1)
    } else {
        m.amount
    };
    l.total = money.add(l.taxable, l.tax, 1);
}

/// A line's amount in whole minor units, when it is whole minor units and not negative.
fn exact_base(m: &Meta<'_>, money: &Money) -> Option<i128> {
    (m.amount.scale() == money.dp && !m.amount.is_sign_negative()).then(|| m.amount.mantissa())
}

/// The denominator of an exact head's ratio for a line's price terms.
fn exact_den(e: &Exact, l: &PricedLine) -> i128 {
    if l.price_includes_tax {
        e.den_incl
    } else {
        e.den_excl
    }
}

/// A line's taxes rounded per head, in exact integer arithmetic, and their sum in minor units,
/// when its heads are plain percentages and its amount is in whole minor units (`None`: use
/// [`forward`]).
fn exact_taxes(l: &PricedLine, m: &Meta<'_>, money: &Money) -> Option<(Vec<TaxAmount>, i128)> {
    let a = exact_base(m, money)?;
    let mut out = Vec::with_capacity(m.heads.len());
    let mut sum = 0i128;
    for h in m.heads {
        let e = h.exact.as_ref()?;
        let units = money.round_units(a.checked_mul(e.num)?, exact_den(e, l))?;
        sum += units;
        out.push(TaxAmount {
            name: h.name.clone(),
            rate: h.rate,
            amount: Decimal::from_i128_with_scale(units, money.dp),
        });
    }
    Some((out, sum))
}

/// Taxes rounded once per head over the invoice, and each head's total spread back over its
/// lines by largest remainder, written into the lines' taxes.
fn invoice_rounded(
    lines: &mut [PricedLine],
    meta: &[Meta<'_>],
    keys: usize,
    money: &Money,
) -> Result<()> {
    let mut cells: Vec<Vec<(usize, usize)>> = vec![Vec::new(); keys];
    for (i, m) in meta.iter().enumerate() {
        for (h, head) in m.heads.iter().enumerate() {
            cells[head.key].push((i, h));
        }
    }
    // Lines whose taxes are not exact ratios: their unrounded taxes, computed once, in line
    // order (so that of two lines that cannot be priced, the first is the one reported).
    let mut raw = Unrounded(vec![None; lines.len()]);
    for (i, m) in meta.iter().enumerate() {
        if exact_base(m, money).is_none() || m.heads.iter().any(|h| h.exact.is_none()) {
            raw.of(i, lines, meta, money)?;
        }
    }
    for cells in cells.iter().filter(|c| !c.is_empty()) {
        let parts = match exact_head(cells, lines, meta, money) {
            Some(parts) => parts,
            None => {
                let mut weights = Vec::with_capacity(cells.len());
                for &(i, h) in cells {
                    weights.push(raw.of(i, lines, meta, money)?[h]);
                }
                money.split(money.round(weights.iter().sum()), &weights)
            }
        };
        for (&(i, h), part) in cells.iter().zip(parts) {
            lines[i].taxes[h].amount = part;
        }
    }
    Ok(())
}

/// Lines' unrounded taxes, each computed once when first asked for (one slot per line).
struct Unrounded(Vec<Option<Vec<Decimal>>>);

impl Unrounded {
    fn of(
        &mut self,
        i: usize,
        lines: &[PricedLine],
        meta: &[Meta<'_>],
        money: &Money,
    ) -> Result<&[Decimal]> {
        if self.0[i].is_none() {
            self.0[i] = Some(line_taxes(&lines[i], &meta[i], money, None)?);
        }
        Ok(self.0[i].as_deref().unwrap_or_default())
    }
}

/// One head's tax over the invoice, rounded once and spread by largest remainder, in exact
/// integers: when each of its lines is whole minor units under plain percentage heads, the
/// head's tax on line `i` is `aᵢ·num / dᵢ`; over the common denominator `D` (the dᵢ's least
/// common multiple) the weights are `wᵢ = aᵢ·num·(D/dᵢ)`, the total is `round(Σwᵢ / D)` and the
/// parts follow the weights exactly. `None` (price with `Decimal`) when a line is not such a
/// line or a product leaves `i128`.
fn exact_head(
    cells: &[(usize, usize)],
    lines: &[PricedLine],
    meta: &[Meta<'_>],
    money: &Money,
) -> Option<Vec<Decimal>> {
    let mut den = 1i128;
    for &(i, h) in cells {
        let d = exact_den(meta[i].heads[h].exact.as_ref()?, &lines[i]);
        den = den.checked_mul(d / gcd(den, d))?;
    }
    let mut weights = Vec::with_capacity(cells.len());
    let mut sum = 0i128;
    for &(i, h) in cells {
        let (l, m) = (&lines[i], &meta[i]);
        let e = m.heads[h].exact.as_ref()?;
        let w = exact_base(m, money)?
            .checked_mul(e.num)?
            .checked_mul(den / exact_den(e, l))?;
        sum = sum.checked_add(w)?;
        weights.push(w);
    }
    let total = money.round_ratio(sum, den)?;
    money.split_units(total.mantissa(), &weights, sum)
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A category and rate's sums: its first line, its heads, taxable value, tax, total, and per
/// head.
type CategorySums<'w> = (&'w PricedLine, &'w [Head], [Sum; 3], Vec<Sum>);

/// The invoice's sums, taken in one pass over its lines: per head, per category and rate, and
/// over the lines.
struct Sums<'w> {
    /// Per head, in order of first appearance: the head, taxable value and tax.
    heads: Vec<(&'w Head, Sum, Sum)>,
    /// Per category and rate (one rule's heads for one supply type), in order of first
    /// appearance.
    categories: Vec<CategorySums<'w>>,
    /// Items' gross and line discounts; every line's taxable value and tax; charges' totals.
    lines: [Sum; 5],
}

impl<'w> Sums<'w> {
    fn of(work: &'w Work<'_>, keys: usize, slots: usize, money: &Money) -> Self {
        let mut head_slot: Vec<Option<usize>> = vec![None; keys];
        let mut cat_slot: Vec<Option<usize>> = vec![None; slots];
        let mut s = Sums {
            heads: Vec::new(),
            categories: Vec::new(),
            lines: [Sum::default(); 5],
        };
        for (l, m) in work.lines.iter().zip(&work.meta) {
            if l.kind == LineKind::Item {
                s.lines[0].add(money, l.gross);
                s.lines[1].add(money, l.discount);
            } else {
                s.lines[4].add(money, l.total);
            }
            s.lines[2].add(money, l.taxable);
            s.lines[3].add(money, l.tax);
            for (h, t) in m.heads.iter().zip(&l.taxes) {
                let i = *head_slot[h.key].get_or_insert_with(|| {
                    s.heads.push((h, Sum::default(), Sum::default()));
                    s.heads.len() - 1
                });
                s.heads[i].1.add(money, l.taxable);
                s.heads[i].2.add(money, t.amount);
            }
            let (Some(k), Some(_)) = (m.slot, &l.tax_category) else {
                continue;
            };
            let i = *cat_slot[k].get_or_insert_with(|| {
                let per_head = vec![Sum::default(); m.heads.len()];
                s.categories
                    .push((l, m.heads, [Sum::default(); 3], per_head));
                s.categories.len() - 1
            });
            let c = &mut s.categories[i];
            for (acc, v) in c.2.iter_mut().zip([l.taxable, l.tax, l.total]) {
                acc.add(money, v);
            }
            for (x, t) in c.3.iter_mut().zip(&l.taxes) {
                x.add(money, t.amount);
            }
        }
        s
    }

    fn heads(&self, money: &Money) -> Vec<TaxTotal> {
        self.heads
            .iter()
            .map(|(h, taxable, amount)| TaxTotal {
                name: h.name.clone(),
                rate: h.rate,
                taxable: taxable.get(money),
                amount: amount.get(money),
            })
            .collect()
    }

    fn categories(&self, money: &Money) -> Vec<CategorySummary> {
        self.categories
            .iter()
            .map(
                |(first, heads, [taxable, tax, total], taxes)| CategorySummary {
                    category: first.tax_category.clone().unwrap_or_default(),
                    rate: heads.first().map_or(Decimal::ZERO, |h| h.group_rate),
                    taxable: taxable.get(money),
                    taxes: named(heads, taxes.iter().map(|t| t.get(money))),
                    tax: tax.get(money),
                    total: total.get(money),
                },
            )
            .collect()
    }
}
