//! Stock valuation (FIFO layers and moving average) and the cost layers of a batch.

use super::*;

/// Value of one product's stock at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValuationRow {
    /// The location.
    pub location: LocationId,
    /// The product.
    pub product: ProductId,
    /// On hand (all batches).
    pub on_hand: Qty,
    /// Sum of the remaining FIFO layers.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub fifo_value: Decimal,
    /// Moving average cost per base unit.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub moving_average_unit_cost: Decimal,
    /// `on_hand × moving_average_unit_cost`.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub moving_average_value: Decimal,
}

/// Stock valuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Valuation {
    /// Per location and product.
    pub rows: Vec<ValuationRow>,
    /// Total by FIFO layers.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_fifo: Decimal,
    /// Total at moving average cost.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_moving_average: Decimal,
}

/// One remaining FIFO cost layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CostLayer {
    /// Units left in the layer.
    pub qty: Qty,
    /// Cost per unit.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub unit_cost: Decimal,
}

/// (on hand, FIFO value, moving-average key) while summing a valuation.
pub(super) type ValuationAcc = (Qty, Decimal, (u32, u32));

impl Ledger {
    /// Stock value per location and product, by FIFO layers and at moving average cost.
    pub fn valuation(&self, location: Option<&LocationId>) -> Result<Valuation> {
        let l = location.map(|l| self.location_index(l)).transpose()?;
        let mut acc: BTreeMap<(&LocationId, &ProductId), ValuationAcc> = BTreeMap::new();
        for (&(loc, batch), c) in self
            .cells
            .iter()
            .filter(|&(&(loc, _), _)| l.is_none_or(|x| x == loc))
        {
            let product = self.batches[batch as usize].product;
            let key = (
                &self.locations[loc as usize].id,
                &self.products[product as usize].product.id,
            );
            let e = acc.entry(key).or_insert((0, Decimal::ZERO, (loc, product)));
            e.0 = add_qty(e.0, c.q.on_hand, "on_hand")?;
            for x in &c.layers {
                e.1 = add_amount(e.1, mul_amount(x.unit_cost, x.qty)?)?;
            }
        }
        let rows: Vec<ValuationRow> = acc
            .into_iter()
            .filter(|(_, (q, _, _))| *q != 0)
            .map(|((loc, product), (on_hand, fifo_value, avg_key))| {
                let unit = self
                    .averages
                    .get(&avg_key)
                    .map(|a| a.unit_cost)
                    .unwrap_or_default();
                Ok(ValuationRow {
                    location: loc.clone(),
                    product: product.clone(),
                    on_hand,
                    fifo_value,
                    moving_average_unit_cost: unit,
                    moving_average_value: mul_amount(unit, on_hand)?,
                })
            })
            .collect::<Result<_>>()?;
        let mut total_fifo = Decimal::ZERO;
        let mut total_moving_average = Decimal::ZERO;
        for r in &rows {
            total_fifo = add_amount(total_fifo, r.fifo_value)?;
            total_moving_average = add_amount(total_moving_average, r.moving_average_value)?;
        }
        Ok(Valuation {
            total_fifo,
            total_moving_average,
            rows,
        })
    }

    /// The remaining FIFO layers of one batch at one location, oldest first.
    pub fn cost_layers(
        &self,
        product: &ProductId,
        batch: &BatchNo,
        location: &LocationId,
    ) -> Result<Vec<CostLayer>> {
        let key = (
            self.location_index(location)?,
            self.batch_index(product, batch)?,
        );
        Ok(self
            .cells
            .get(&key)
            .map(|c| {
                c.layers
                    .iter()
                    .map(|l| CostLayer {
                        qty: l.qty,
                        unit_cost: l.unit_cost,
                    })
                    .collect()
            })
            .unwrap_or_default())
    }
}
