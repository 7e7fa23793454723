//! Tax rules as data: dated rules per tax category (an HSN code, a VAT class, `rx`/`otc`) and
//! optionally per region, validated when loaded and looked up by invoice date.

use std::collections::HashMap;

use apotheca_core::Text;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::invoice::Supply;
use crate::line::{AmountType, BaseOn, LineTax, Repartition};
use crate::tax::{Head, heads_of};

/// How a tax component computes its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    /// `rate` percent of the taxable value (or of value plus earlier taxes when `compound`).
    Percent,
    /// `rate` is an amount per billed unit (a fixed excise or levy).
    Fixed,
    /// India GST at `rate` percent: CGST and SGST at half the rate each within a state (always
    /// equal), IGST at the full rate across states.
    Gst,
}

/// One tax in a rule; a rule's components together are its tax group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxComponent {
    /// Head name on the invoice (`VAT`, `State`, `Cess`); for `gst` the heads are named
    /// `CGST`/`SGST`/`IGST`.
    pub name: String,
    /// Percent, fixed per unit, or GST.
    pub kind: ComponentKind,
    /// Percent (`"12"`) or amount per unit (`"0.50"`).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub rate: Decimal,
    /// Percent taxes only: computed on the value plus the components before it.
    #[serde(default)]
    pub compound: bool,
}

/// A tax rule in force for a category (and region) over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxRule {
    /// The tax category lines name: an HSN code (`3004`), a VAT class, `rx`, `otc`.
    pub category: String,
    /// Region the rule applies to (a US state or county, matched against the invoice's place of
    /// supply); `None` applies everywhere the category has no regional rule.
    #[serde(default)]
    pub region: Option<String>,
    /// First day in force.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub effective_from: NaiveDate,
    /// Last day in force (inclusive); `None` while still in force.
    #[serde(default)]
    #[serde(with = "apotheca_core::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub effective_to: Option<NaiveDate>,
    /// Exempt supply: no tax, reported as exempt rather than zero-rated.
    #[serde(default)]
    pub exempt: bool,
    /// The taxes, applied in order (order matters for compound taxes).
    #[serde(default)]
    pub components: Vec<TaxComponent>,
    /// The taxes in the general model instead of `components` (Odoo's and ERPNext's tax
    /// properties: division, reverse charge, withholding, previous-row bases, ...). Such a rule
    /// prices documents (`price_document`), not `price`'s invoices.
    #[serde(default)]
    pub taxes: Vec<LineTax>,
    /// Free text, e.g. the notification that set the rate.
    #[serde(default)]
    pub description: Option<String>,
}

impl TaxRule {
    /// This rule's components as single-line taxes ([`crate::line::LineTax`]) for a supply:
    /// the same taxes expressed in the general model. GST becomes CGST and SGST at half the
    /// rate each (or IGST), a `compound` component is base-affected by every component before
    /// it (each of those affects later bases), and the others are not; every tax is in the
    /// price or not, as the invoice line is. In a rule without compound components the fixed
    /// ones come first: a fixed amount is the same wherever it is listed, and the percent taxes
    /// after it then form one batch, as they share one net in the rule. With compound
    /// components the order is kept (what a compound tax is on depends on it). A rule given in
    /// the general model (`taxes`) gives those, as they are.
    pub fn line_taxes(&self, supply: Supply, price_includes_tax: bool) -> Vec<LineTax> {
        if !self.taxes.is_empty() {
            return self.taxes.clone();
        }
        let compound_after = |i: usize| self.components[i + 1..].iter().any(|c| c.compound);
        let mut out = Vec::with_capacity(self.components.len() + 1);
        let reorder = !self.components.iter().any(|c| c.compound);
        let first = |c: &TaxComponent| !reorder || c.kind == ComponentKind::Fixed;
        let ordered = self
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| first(c))
            .chain(
                self.components
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !first(c)),
            );
        for (i, c) in ordered {
            let tax = |name: &str, amount_type, amount: Decimal| LineTax {
                name: name.to_string(),
                amount_type,
                amount: amount.normalize(),
                price_include: price_includes_tax,
                include_base_amount: compound_after(i),
                is_base_affected: c.compound,
                base_on: BaseOn::Net,
                row: None,
                repartition: Repartition::Normal,
                rounding_step: None,
                unrounded: false,
                group: None,
            };
            match c.kind {
                ComponentKind::Percent => out.push(tax(&c.name, AmountType::Percent, c.rate)),
                ComponentKind::Fixed => out.push(tax(&c.name, AmountType::Fixed, c.rate)),
                ComponentKind::Gst if supply == Supply::InterState => {
                    out.push(tax("IGST", AmountType::Percent, c.rate));
                }
                ComponentKind::Gst => {
                    let half = c.rate / Decimal::TWO;
                    out.push(tax("CGST", AmountType::Percent, half));
                    out.push(tax("SGST", AmountType::Percent, half));
                }
            }
        }
        out
    }
}

/// A set of tax rules as loaded from JSON or TOML: `{ "rules": [ ... ] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxRuleSet {
    /// The rules, in any order.
    #[serde(default)]
    pub rules: Vec<TaxRule>,
}

/// A category's rules per region (`None`: no region), each list sorted by `effective_from`.
type RegionRules = Vec<(Option<String>, Vec<usize>)>;

/// A validated rule set, indexed for lookup by category, region and date. Immutable and
/// `Send + Sync`: one copy serves every thread.
#[derive(Debug, Clone)]
pub struct TaxRules {
    set: TaxRuleSet,
    /// category → (region, indices into `set.rules` sorted by `effective_from`), the regional
    /// entries first.
    index: HashMap<String, RegionRules>,
    /// Per rule, its tax heads compiled once: `[intra-state, inter-state]`.
    heads: Vec<[Vec<Head>; 2]>,
    /// Distinct (name, rate) heads over all rules.
    head_keys: usize,
}

/// The rule a lookup found.
pub enum Lookup<'a> {
    /// In force on the date: the rule, its compiled heads for intra- and inter-state supply,
    /// and its index.
    Found(&'a TaxRule, &'a [Vec<Head>; 2], usize),
    /// The category has rules, none in force on the date.
    NotInForce,
    /// No rule names the category.
    Unknown,
}

impl TaxRules {
    /// Validates and indexes a rule set.
    pub fn new(set: TaxRuleSet) -> Result<Self> {
        let bad = |i: usize, r: &TaxRule, why: String| {
            BillingError::InvalidRules(format!(
                "rule {} (category {:?}, from {}): {why}",
                i + 1,
                r.category,
                r.effective_from
            ))
        };
        let mut index: HashMap<String, RegionRules> = HashMap::new();
        for (i, r) in set.rules.iter().enumerate() {
            if r.category.trim().is_empty() {
                return Err(bad(i, r, "category is empty".into()));
            }
            if r.region.as_deref().is_some_and(|g| g.trim().is_empty()) {
                return Err(bad(i, r, "region is empty (leave it out instead)".into()));
            }
            if let Some(to) = r.effective_to
                && to < r.effective_from
            {
                return Err(bad(
                    i,
                    r,
                    format!("effective_to {to} is before effective_from"),
                ));
            }
            if !r.taxes.is_empty() {
                if !r.components.is_empty() || r.exempt {
                    return Err(bad(
                        i,
                        r,
                        "give components or taxes (the general model), not both, and no taxes on an exempt rule".into(),
                    ));
                }
                crate::line::validate_taxes(&r.taxes, &format!("rules[{i}].taxes"))
                    .map_err(|e| bad(i, r, e.to_string()))?;
            }
            if r.exempt && !r.components.is_empty() {
                return Err(bad(
                    i,
                    r,
                    "an exempt rule cannot have tax components".into(),
                ));
            }
            let mut gst = 0;
            for c in &r.components {
                if c.name.trim().is_empty() {
                    return Err(bad(i, r, "a component has an empty name".into()));
                }
                if c.rate.is_sign_negative() && !c.rate.is_zero() {
                    return Err(bad(i, r, format!("{} rate {} is negative", c.name, c.rate)));
                }
                if c.kind != ComponentKind::Fixed && c.rate > Decimal::ONE_THOUSAND {
                    return Err(bad(
                        i,
                        r,
                        format!("{} rate {}% is above 1000%", c.name, c.rate),
                    ));
                }
                if c.kind == ComponentKind::Fixed && c.rate > crate::MAX_AMOUNT {
                    return Err(bad(
                        i,
                        r,
                        format!(
                            "{} amount {} is above {}",
                            c.name,
                            c.rate,
                            crate::MAX_AMOUNT
                        ),
                    ));
                }
                if c.rate.normalize().scale() > crate::MAX_RATE_DP {
                    return Err(bad(
                        i,
                        r,
                        format!(
                            "{} rate {} has more than {} decimal places",
                            c.name,
                            c.rate,
                            crate::MAX_RATE_DP
                        ),
                    ));
                }
                if c.compound && c.kind != ComponentKind::Percent {
                    return Err(bad(
                        i,
                        r,
                        format!("{}: only percent taxes compound", c.name),
                    ));
                }
                gst += usize::from(c.kind == ComponentKind::Gst);
            }
            if gst > 1 {
                return Err(bad(i, r, "more than one gst component".into()));
            }
            if r.components.len() > crate::MAX_COMPONENTS {
                return Err(bad(
                    i,
                    r,
                    format!(
                        "{} components; a rule has at most {}",
                        r.components.len(),
                        crate::MAX_COMPONENTS
                    ),
                ));
            }
            let regions = index.entry(r.category.clone()).or_default();
            match regions.iter_mut().find(|(g, _)| *g == r.region) {
                Some((_, ids)) => ids.push(i),
                None => regions.push((r.region.clone(), vec![i])),
            }
        }
        for (_, ids) in index.values_mut().flat_map(|v| v.iter_mut()) {
            ids.sort_by_key(|&i| set.rules[i].effective_from);
            for w in ids.windows(2) {
                let (a, b) = (&set.rules[w[0]], &set.rules[w[1]]);
                if a.effective_to.is_none_or(|to| to >= b.effective_from) {
                    return Err(BillingError::InvalidRules(format!(
                        "rules for category {:?}{} overlap: one from {} to {}, another from {}",
                        a.category,
                        a.region
                            .as_deref()
                            .map(|g| format!(" in region {g:?}"))
                            .unwrap_or_default(),
                        a.effective_from,
                        a.effective_to
                            .map_or_else(|| "open end".to_string(), |d| d.to_string()),
                        b.effective_from
                    )));
                }
            }
        }
        let mut heads: Vec<[Vec<Head>; 2]> = set
            .rules
            .iter()
            .map(|r| {
                [
                    heads_of(r, Supply::IntraState),
                    heads_of(r, Supply::InterState),
                ]
            })
            .collect();
        // Number each distinct (name, rate, occurrence in its rule) head, so invoices total
        // heads by index: a rule with the same head twice keeps two heads.
        let mut keys: Vec<(Text, Decimal, usize)> = Vec::new();
        for list in heads.iter_mut().flatten() {
            for i in 0..list.len() {
                let nth = crate::tax::nth_of(list, i, |h| (h.name.as_str(), h.rate));
                let h = &mut list[i];
                h.key = match keys
                    .iter()
                    .position(|(n, r, k)| *n == h.name && *r == h.rate && *k == nth)
                {
                    Some(k) => k,
                    None => {
                        keys.push((h.name.clone(), h.rate, nth));
                        keys.len() - 1
                    }
                };
            }
        }
        Ok(Self {
            set,
            index,
            heads,
            head_keys: keys.len(),
        })
    }

    /// How many distinct (name, rate) heads the rules have.
    pub(crate) fn head_keys(&self) -> usize {
        self.head_keys
    }

    /// How many rules there are.
    pub(crate) fn len(&self) -> usize {
        self.set.rules.len()
    }

    /// Parses and validates a JSON rule set.
    pub fn from_json(text: &str) -> Result<Self> {
        let set: TaxRuleSet = serde_json::from_str(text)
            .map_err(|e| BillingError::InvalidRules(format!("JSON: {e}")))?;
        Self::new(set)
    }

    /// Parses and validates a TOML rule set (`[[rules]]` tables; rates and dates as strings).
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<Self> {
        let set: TaxRuleSet =
            toml::from_str(text).map_err(|e| BillingError::InvalidRules(format!("TOML: {e}")))?;
        Self::new(set)
    }

    /// The rules as loaded.
    pub fn rule_set(&self) -> &TaxRuleSet {
        &self.set
    }

    /// [`TaxRules::lookup`] for line `line` (1-based) of a document: a category with no rule in
    /// force, or no rule at all, is the line's error.
    pub(crate) fn rule_in_force(
        &self,
        line: i64,
        category: &str,
        region: Option<&str>,
        date: NaiveDate,
    ) -> Result<(&TaxRule, &[Vec<Head>; 2], usize)> {
        match self.lookup(category, region, date) {
            Lookup::Found(r, heads, i) => Ok((r, heads, i)),
            Lookup::NotInForce => Err(BillingError::NoRuleInForce {
                line,
                category: category.to_string(),
                date,
            }),
            Lookup::Unknown => Err(BillingError::UnknownTaxCategory {
                line,
                category: category.to_string(),
            }),
        }
    }

    /// The rule for `category` in force on `date`: the region's own rule if it has one for the
    /// category, else the rule without a region.
    pub fn lookup(&self, category: &str, region: Option<&str>, date: NaiveDate) -> Lookup<'_> {
        let Some(regions) = self.index.get(category) else {
            return Lookup::Unknown;
        };
        let own = regions
            .iter()
            .find(|(g, _)| g.is_some() && g.as_deref() == region);
        let any = || regions.iter().find(|(g, _)| g.is_none());
        if let Some((_, ids)) = own.or_else(any) {
            let n = ids.partition_point(|&i| self.set.rules[i].effective_from <= date);
            if n > 0 {
                let i = ids[n - 1];
                let r = &self.set.rules[i];
                if r.effective_to.is_none_or(|to| date <= to) {
                    return Lookup::Found(r, &self.heads[i], i);
                }
            }
        }
        // A region with its own rules for the category does not fall back to the rule without
        // a region on a day none of its own is in force: its own rules replace that one.
        Lookup::NotInForce
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const GST: &str = r#"{"rules": [
        {"category": "3004", "effective_from": "2017-07-01", "effective_to": "2025-09-21",
         "components": [{"name": "GST", "kind": "gst", "rate": "12"}]},
        {"category": "3004", "effective_from": "2025-09-22",
         "components": [{"name": "GST", "kind": "gst", "rate": "5"}]}
    ]}"#;

    fn rate(r: &TaxRules, cat: &str, on: &str) -> Option<String> {
        match r.lookup(cat, None, d(on)) {
            Lookup::Found(rule, _, _) => Some(rule.components[0].rate.to_string()),
            _ => None,
        }
    }

    #[test]
    fn the_rule_in_force_on_the_invoice_date_applies() {
        let r = TaxRules::from_json(GST).unwrap();
        assert_eq!(rate(&r, "3004", "2025-09-21").as_deref(), Some("12"));
        assert_eq!(rate(&r, "3004", "2025-09-22").as_deref(), Some("5"));
        assert!(matches!(
            r.lookup("3004", None, d("2017-06-30")),
            Lookup::NotInForce
        ));
        assert!(matches!(
            r.lookup("9999", None, d("2025-01-01")),
            Lookup::Unknown
        ));
    }

    #[test]
    fn overlapping_dates_are_refused() {
        let text = GST.replace("2025-09-21", "2025-09-22");
        let e = TaxRules::from_json(&text).unwrap_err();
        assert!(e.to_string().contains("overlap"), "{e}");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_loads_the_same_rules() {
        let t = r#"
            [[rules]]
            category = "standard"
            effective_from = "2020-01-01"
            components = [{ name = "VAT", kind = "percent", rate = "19" }]
        "#;
        let r = TaxRules::from_toml(t).unwrap();
        assert_eq!(rate(&r, "standard", "2026-01-01").as_deref(), Some("19"));
    }

    #[test]
    fn regional_rules_replace_the_national_one() {
        let t = r#"{"rules": [
          {"category": "otc", "effective_from": "2020-01-01", "components": [{"name": "State", "kind": "percent", "rate": "4"}]},
          {"category": "otc", "region": "US-NY-NYC", "effective_from": "2020-01-01", "components": [{"name": "State", "kind": "percent", "rate": "4"}, {"name": "City", "kind": "percent", "rate": "4.875"}]}
        ]}"#;
        let r = TaxRules::from_json(t).unwrap();
        let Lookup::Found(rule, _, _) = r.lookup("otc", Some("US-NY-NYC"), d("2026-01-01")) else {
            panic!()
        };
        assert_eq!(rule.components.len(), 2);
        let Lookup::Found(rule, _, _) = r.lookup("otc", Some("US-TX"), d("2026-01-01")) else {
            panic!()
        };
        assert_eq!(rule.components.len(), 1);
    }

    #[test]
    fn bad_rules_name_the_rule() {
        for (text, want) in [
            (
                r#"{"rules":[{"category":"","effective_from":"2020-01-01"}]}"#,
                "category is empty",
            ),
            (
                r#"{"rules":[{"category":"x","effective_from":"2020-01-01","effective_to":"2019-01-01"}]}"#,
                "before",
            ),
            (
                r#"{"rules":[{"category":"x","effective_from":"2020-01-01","components":[{"name":"V","kind":"percent","rate":"-1"}]}]}"#,
                "negative",
            ),
            (
                r#"{"rules":[{"category":"x","effective_from":"2020-01-01","exempt":true,"components":[{"name":"V","kind":"percent","rate":"1"}]}]}"#,
                "exempt",
            ),
            (
                r#"{"rules":[{"category":"x","effective_from":"2020-01-01","components":[{"name":"V","kind":"percent","rate":1}]}]}"#,
                "JSON",
            ),
        ] {
            let e = TaxRules::from_json(text).unwrap_err().to_string();
            assert!(e.contains(want), "{e} should mention {want}");
        }
    }
}
