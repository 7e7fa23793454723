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
use crate::money::{Money, RoundingLevel};
use crate::rules::{TaxRule, TaxRules};
use crate::tax::{Head, PERCENT, affine, check_line_total, forward};

/// A line on its way through pricing.
struct Work<'r> {
    line: PricedLine,
    heads: &'r [Head],
    /// Category-summary slot: rule index × 2 + supply.
    slot: Option<usize>,
    /// Amount after discounts, in the price's terms (tax included or not).
    amount: Decimal,
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
    let invoice_discount = p.invoice_discount(&mut work)?;
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
    fn items(&self) -> Result<Vec<Work<'a>>> {
        let (rules, req, money, supply, zero) =
            (self.rules, self.req, &self.money, self.supply, self.zero);
        let mut work = Vec::with_capacity(req.lines.len() + req.charges.len());
        type Found<'r> = (&'r TaxRule, &'r [Head], usize);
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
                if let Some(v) = v.filter(|v| *v > crate::MAX_AMOUNT) {
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
                    let f = rule_for(rules, n, &l.tax_category, req, supply)?;
                    seen.push((&l.tax_category, f));
                    f
                }
            };
            let (rule, heads, slot) = found;
            check_line_total(heads, l.unit_price, billed.max(1), || format!("lines[{i}]"))?;
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
                        product: l.product.clone(),
                        price: with_tax,
                        mrp,
                    });
                }
            }
            let gross = money.round(l.unit_price * Decimal::from(billed));
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
            work.push(Work {
                line: PricedLine {
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
                },
                heads,
                slot: Some(slot),
                amount: gross - discount,
            });
        }
        Ok(work)
    }

    /// The invoice discount, spread over the items by largest remainder.
    fn invoice_discount(&self, work: &mut [Work<'a>]) -> Result<Decimal> {
        let (req, money, zero) = (self.req, &self.money, self.zero);
        let net: Vec<Decimal> = work.iter().map(|w| w.amount).collect();
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
        for (w, part) in work.iter_mut().zip(money.split(invoice_discount, &net)) {
            w.line.invoice_discount = part;
            w.amount -= part;
        }
        Ok(invoice_discount)
    }

    /// The additional charges (freight, delivery), each taxed by its own category if it has one.
    fn charges(&self, work: &mut Vec<Work<'a>>) -> Result<()> {
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
            work.push(Work {
                line: PricedLine {
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
                },
                heads: found.map_or(&[], |f| f.1),
                slot: found.map(|f| f.2),
                amount,
            });
        }
        Ok(())
    }

    /// Taxes per head, rounded per line or once per invoice, and each line's taxable value,
    /// tax and total.
    fn taxes(&self, work: &mut [Work<'a>]) -> Result<()> {
        let (rules, req, money, zero) = (self.rules, self.req, &self.money, self.zero);
        let taxes: Vec<Vec<Decimal>> = match req.rounding.level {
            RoundingLevel::Line => work
                .iter()
                .map(|w| match exact_taxes(w, money) {
                    Some(t) => Ok(t),
                    None => Ok(forward(
                        w.heads,
                        base(w, money)?,
                        w.line.billed_qty,
                        Some(money),
                    )),
                })
                .collect::<Result<_>>()?,
            RoundingLevel::Invoice => {
                let raw: Vec<Vec<Decimal>> = work
                    .iter()
                    .map(|w| Ok(forward(w.heads, base(w, money)?, w.line.billed_qty, None)))
                    .collect::<Result<_>>()?;
                let mut rounded: Vec<Vec<Decimal>> =
                    raw.iter().map(|r| vec![zero; r.len()]).collect();
                let mut cells: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rules.head_keys()];
                for (i, w) in work.iter().enumerate() {
                    for (h, head) in w.heads.iter().enumerate() {
                        cells[head.key].push((i, h));
                    }
                }
                for cells in cells.iter().filter(|c| !c.is_empty()) {
                    let weights: Vec<Decimal> = cells.iter().map(|&(i, h)| raw[i][h]).collect();
                    let total = money.round(weights.iter().sum());
                    for (&(i, h), part) in cells.iter().zip(money.split(total, &weights)) {
                        rounded[i][h] = part;
                    }
                }
                rounded
            }
        };
        for (w, t) in work.iter_mut().zip(taxes) {
            let tax: Decimal = t.iter().sum();
            w.line.tax = money.scaled(tax);
            w.line.taxable = if w.line.price_includes_tax {
                w.amount - tax
            } else {
                w.amount
            };
            w.line.total = w.line.taxable + w.line.tax;
            w.line.taxes = w
                .heads
                .iter()
                .zip(t)
                .map(|(h, amount)| TaxAmount {
                    name: h.name.clone(),
                    rate: h.rate,
                    amount,
                })
                .collect();
        }
        Ok(())
    }

    /// The invoice: per-head totals, the category summary, sums, cash round-off, co-pay,
    /// payments and the amount in words.
    fn totals(self, work: Vec<Work<'a>>, invoice_discount: Decimal) -> Result<PricedInvoice> {
        let (rules, req, money, supply) = (self.rules, self.req, &self.money, self.supply);
        let taxes = head_totals(&work, rules.head_keys(), money);
        let category_summary = category_summary(&work, rules.len() * 2, money);

        let lines: Vec<PricedLine> = work.into_iter().map(|w| w.line).collect();
        let sum = |f: fn(&PricedLine) -> Decimal, kind: Option<LineKind>| -> Decimal {
            money.scaled(
                lines
                    .iter()
                    .filter(|l| kind.is_none_or(|k| l.kind == k))
                    .map(f)
                    .sum(),
            )
        };
        let taxable = sum(|l| l.taxable, None);
        let tax = sum(|l| l.tax, None);
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
            gross: sum(|l| l.gross, Some(LineKind::Item)),
            line_discounts: sum(|l| l.discount, Some(LineKind::Item)),
            invoice_discount,
            charges_total: sum(|l| l.total, Some(LineKind::Charge)),
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

fn base(w: &Work<'_>, money: &Money) -> Result<Decimal> {
    if !w.line.price_includes_tax {
        return Ok(w.amount);
    }
    let (k, c) = affine(w.heads, w.line.billed_qty);
    if c > w.amount {
        return Err(BillingError::InvalidAmount {
            field: format!("line {} amount", w.line.line_no),
            value: w.amount,
            why: format!("is less than its fixed taxes {}", money.round(c)),
        });
    }
    Ok((w.amount - c) / k)
}

/// A line's taxes rounded per head, in exact integer arithmetic, when its heads are plain
/// percentages and its amount is in whole minor units (`None`: use [`forward`]).
fn exact_taxes(w: &Work<'_>, money: &Money) -> Option<Vec<Decimal>> {
    if w.amount.scale() != money.dp || w.amount.is_sign_negative() {
        return None;
    }
    let a = w.amount.mantissa();
    w.heads
        .iter()
        .map(|h| {
            let e = h.exact?;
            let den = if w.line.price_includes_tax {
                e.den_incl
            } else {
                e.den_excl
            };
            money.round_ratio(a.checked_mul(e.num)?, den)
        })
        .collect()
}

/// Per head over the invoice, in order of first appearance, keyed by the head's index.
fn head_totals(work: &[Work<'_>], keys: usize, money: &Money) -> Vec<TaxTotal> {
    let zero = money.scaled(Decimal::ZERO);
    let mut slot: Vec<Option<usize>> = vec![None; keys];
    let mut out: Vec<TaxTotal> = Vec::new();
    for w in work {
        for (h, t) in w.heads.iter().zip(&w.line.taxes) {
            let i = *slot[h.key].get_or_insert_with(|| {
                out.push(TaxTotal {
                    name: h.name.clone(),
                    rate: h.rate,
                    taxable: zero,
                    amount: zero,
                });
                out.len() - 1
            });
            out[i].taxable += w.line.taxable;
            out[i].amount += t.amount;
        }
    }
    out
}

/// Per category and rate (one rule's heads for one supply type), in order of first appearance.
fn category_summary(work: &[Work<'_>], slots: usize, money: &Money) -> Vec<CategorySummary> {
    let zero = money.scaled(Decimal::ZERO);
    let mut slot: Vec<Option<usize>> = vec![None; slots];
    let mut out: Vec<CategorySummary> = Vec::new();
    for w in work {
        let (Some(k), Some(cat)) = (w.slot, &w.line.tax_category) else {
            continue;
        };
        let i = *slot[k].get_or_insert_with(|| {
            out.push(CategorySummary {
                category: cat.clone(),
                rate: w.heads.first().map_or(Decimal::ZERO, |h| h.group_rate),
                taxable: zero,
                taxes: w
                    .heads
                    .iter()
                    .map(|h| TaxAmount {
                        name: h.name.clone(),
                        rate: h.rate,
                        amount: zero,
                    })
                    .collect(),
                tax: zero,
                total: zero,
            });
            out.len() - 1
        });
        let s = &mut out[i];
        s.taxable += w.line.taxable;
        s.tax += w.line.tax;
        s.total += w.line.total;
        for (x, t) in s.taxes.iter_mut().zip(&w.line.taxes) {
            x.amount += t.amount;
        }
    }
    out
}
