//! Writes a large event log for the bindings' restore tests: `big-log <path> <events>` writes
//! the log as JSON text to `<path>` and `"<digest> <head> <events>"` to `<path>.digest`.
//! Each event after the catalog is a one-line receipt or dispense, as a busy store writes them.

use std::io::Write;

use apotheca_core::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: big-log <path> <events>")?;
    let events: usize = args.next().unwrap_or_else(|| "1000000".into()).parse()?;
    let mut l = Ledger::new();
    l.register_location(Location {
        id: LocationId::new("S1")?,
        name: "Store".into(),
        priority: None,
    })?;
    l.register_product(Product {
        id: ProductId::new("P")?,
        name: "Crocin 500".into(),
        generic_name: "Paracetamol 500 mg".into(),
        ingredients: vec![],
        form: DosageForm::Tablet,
        pack_size: 15,
        sold_loose: true,
        schedule: Schedule::Otc,
        tax_category: "3004".into(),
        storage: StorageClass::Ambient,
        shelf_life: None,
    })?;
    l.register_batch(Batch {
        product: ProductId::new("P")?,
        batch: BatchNo::new("B")?,
        expiry: NaiveDate::from_ymd_opt(2030, 12, 31),
        manufactured: None,
        unit_cost: Decimal::new(60, 2),
        mrp: Decimal::new(136, 2),
        supplier: None,
        status: BatchStatus::Released,
        pack_size: None,
        use_by: None,
        removal: None,
        alert: None,
    })?;
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).ok_or("date")?;
    let line = |movement: Movement| -> Result<Line, CoreError> {
        Ok(Line {
            movement,
            product: ProductId::new("P")?,
            batch: BatchNo::new("B")?,
            location: LocationId::new("S1")?,
            qty: 1,
        })
    };
    let mut i = 0usize;
    while l.events().len() < events {
        let movement = if i.is_multiple_of(2) {
            Movement::Receipt {
                unit_cost: None,
                accept_expired: false,
            }
        } else {
            Movement::Dispense { reservation: None }
        };
        l.post(Posting {
            key: format!("k{i}"),
            date,
            reference: None,
            lines: vec![line(movement)?],
        })?;
        i += 1;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    serde_json::to_writer(&mut out, l.events())?;
    out.flush()?;
    std::fs::write(
        format!("{path}.digest"),
        format!("{} {} {}", l.digest(), l.head(), l.events().len()),
    )?;
    Ok(())
}
