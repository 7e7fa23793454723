//! Expiry queries: what expires within a window, what has expired, stock by days left.

use super::*;

/// A batch with stock, near or past its expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpiryRow {
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// The location.
    pub location: LocationId,
    /// Its expiry.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub expiry: NaiveDate,
    /// Days of shelf life left (0 on the expiry day, negative once expired).
    pub days_left: i64,
    /// On hand.
    pub on_hand: Qty,
}

/// A batch whose alert date has come, with the stock it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LotAlert {
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// Its alert date.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub alert: NaiveDate,
    /// All its dates.
    pub dates: crate::batch::LotDates,
    /// On hand, every location together.
    pub on_hand: Qty,
}

/// The batches whose alert date fell in `(since, on]`, and the cursor for the next call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LotAlerts {
    /// By alert date, then product and batch.
    pub alerts: Vec<LotAlert>,
    /// Pass it as `since` next time: each batch is then reported once.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub cursor: NaiveDate,
}

/// Stock expiring in `from_days..=to_days` days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpiryBucket {
    /// First day of the bucket (days from the date asked).
    pub from_days: i64,
    /// Last day of the bucket.
    pub to_days: i64,
    /// Units in the bucket.
    pub qty: Qty,
    /// The batches in it, earliest expiry first.
    pub rows: Vec<ExpiryRow>,
}

impl Ledger {
    pub(super) fn expiry_rows(
        &self,
        on: NaiveDate,
        location: Option<&LocationId>,
        keep: impl Fn(i64) -> bool,
    ) -> Result<Vec<ExpiryRow>> {
        let l = location.map(|l| self.location_index(l)).transpose()?;
        let mut rows: Vec<ExpiryRow> = self
            .cells
            .iter()
            .filter(|&(&(loc, _), c)| c.q.on_hand > 0 && l.is_none_or(|x| x == loc))
            .filter_map(|(&(loc, batch), c)| {
                let entry = &self.batches[batch as usize];
                let b = &entry.batch;
                let expiry = entry.dates.expiry?;
                let days_left = remaining_shelf_life_days(expiry, on);
                keep(days_left).then(|| ExpiryRow {
                    product: b.product.clone(),
                    batch: b.batch.clone(),
                    location: self.locations[loc as usize].id.clone(),
                    expiry,
                    days_left,
                    on_hand: c.q.on_hand,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.expiry, &a.product, &a.batch, &a.location).cmp(&(
                b.expiry,
                &b.product,
                &b.batch,
                &b.location,
            ))
        });
        Ok(rows)
    }

    /// The batches with stock whose alert date (Odoo's `alert_date`: given, or
    /// `shelf_life.alert_days` before expiry) is after `since` and on or before `on`. Calling
    /// with `since` = the previous answer's `cursor` reports each batch once, however often it
    /// is called (the same arguments give the same answer: nothing is marked). `since` absent:
    /// every alert date up to `on`.
    pub fn lot_alerts(&self, on: NaiveDate, since: Option<NaiveDate>) -> Result<LotAlerts> {
        crate::ledger::check_date(on)?;
        if let Some(s) = since {
            crate::ledger::check_date(s)?;
        }
        let mut on_hand: std::collections::HashMap<u32, Qty> = std::collections::HashMap::new();
        for (&(_, b), c) in &self.cells {
            if c.q.on_hand > 0 {
                *on_hand.entry(b).or_default() += c.q.on_hand;
            }
        }
        let mut alerts: Vec<LotAlert> = on_hand
            .into_iter()
            .filter_map(|(b, qty)| {
                let entry = &self.batches[b as usize];
                let alert = entry.dates.alert?;
                (alert <= on && since.is_none_or(|s| alert > s)).then(|| LotAlert {
                    product: entry.batch.product.clone(),
                    batch: entry.batch.batch.clone(),
                    alert,
                    dates: entry.dates,
                    on_hand: qty,
                })
            })
            .collect();
        alerts
            .sort_by(|a, b| (a.alert, &a.product, &a.batch).cmp(&(b.alert, &b.product, &b.batch)));
        Ok(LotAlerts { alerts, cursor: on })
    }

    /// Stock that is still usable on `on` and expires within `days` days (0..=days left).
    pub fn expiring_within(
        &self,
        on: NaiveDate,
        days: u32,
        location: Option<&LocationId>,
    ) -> Result<Vec<ExpiryRow>> {
        self.expiry_rows(on, location, |d| (0..=days as i64).contains(&d))
    }

    /// Stock that is expired on `on` (its expiry date is before `on`).
    pub fn expired(&self, on: NaiveDate, location: Option<&LocationId>) -> Result<Vec<ExpiryRow>> {
        self.expiry_rows(on, location, |d| d < 0)
    }

    /// Expiry buckets: with bounds `[30, 60, 90]`, stock expiring in 0–30, 31–60 and 61–90 days.
    pub fn expiry_buckets(
        &self,
        on: NaiveDate,
        bounds: &[u32],
        location: Option<&LocationId>,
    ) -> Result<Vec<ExpiryBucket>> {
        if bounds.is_empty() || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(CoreError::InvalidInput {
                field: "expiry bucket bounds".into(),
                reason: format!("{bounds:?} must be non-empty and strictly increasing"),
            });
        }
        let rows = self.expiring_within(on, bounds[bounds.len() - 1], location)?;
        let mut from = 0i64;
        bounds
            .iter()
            .map(|&to| {
                let to = to as i64;
                let in_bucket: Vec<ExpiryRow> = rows
                    .iter()
                    .filter(|r| (from..=to).contains(&r.days_left))
                    .cloned()
                    .collect();
                let qty = in_bucket
                    .iter()
                    .try_fold(0, |t, r| add_qty(t, r.on_hand, "qty"))?;
                let bucket = ExpiryBucket {
                    from_days: from,
                    to_days: to,
                    qty,
                    rows: in_bucket,
                };
                from = to + 1;
                Ok(bucket)
            })
            .collect()
    }
}
