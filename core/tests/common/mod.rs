#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]
use apotheca_core::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
pub fn pid(s: &str) -> ProductId {
    ProductId::new(s).unwrap()
}
pub fn bno(s: &str) -> BatchNo {
    BatchNo::new(s).unwrap()
}
pub fn loc(s: &str) -> LocationId {
    LocationId::new(s).unwrap()
}

pub fn product(id: &str, pack: Qty) -> Product {
    Product {
        id: pid(id),
        name: format!("{id} brand"),
        generic_name: format!("{id} generic"),
        ingredients: vec![],
        form: DosageForm::Tablet,
        pack_size: pack,
        sold_loose: true,
        schedule: Schedule::Prescription,
        tax_category: "3004".into(),
        storage: StorageClass::Ambient,
        shelf_life: None,
    }
}

pub fn batch(product: &str, no: &str, expiry: Option<&str>, cost: Decimal) -> Batch {
    Batch {
        product: pid(product),
        batch: bno(no),
        expiry: expiry.map(d),
        manufactured: None,
        unit_cost: cost,
        mrp: cost * Decimal::from(2),
        supplier: Some("SUP-1".into()),
        status: BatchStatus::Released,
        pack_size: None,
        alert: None,
        use_by: None,
        removal: None,
    }
}

/// AMOX (strip of 10) at two stores; batches with expiry `(no, expiry)`.
pub fn ledger_with(batches: &[(&str, Option<&str>)]) -> Ledger {
    let mut l = Ledger::new();
    l.register_location(Location {
        id: loc("S1"),
        name: "Store 1".into(),
        priority: None,
    })
    .unwrap();
    l.register_location(Location {
        id: loc("S2"),
        name: "Store 2".into(),
        priority: None,
    })
    .unwrap();
    l.register_product(product("AMOX", 10)).unwrap();
    for (no, exp) in batches {
        l.register_batch(batch("AMOX", no, *exp, Decimal::new(250, 2)))
            .unwrap();
    }
    l
}

pub fn line(movement: Movement, batch: &str, location: &str, qty: Qty) -> Line {
    Line {
        movement,
        product: pid("AMOX"),
        batch: bno(batch),
        location: loc(location),
        qty,
    }
}

pub fn posting(key: &str, date: &str, lines: Vec<Line>) -> Posting {
    Posting {
        key: key.into(),
        date: d(date),
        reference: Some(format!("DOC-{key}")),
        lines,
    }
}

pub fn receive(l: &mut Ledger, key: &str, batch: &str, location: &str, qty: Qty) {
    l.post(posting(
        key,
        "2026-01-01",
        vec![line(
            Movement::Receipt {
                unit_cost: None,
                accept_expired: false,
            },
            batch,
            location,
            qty,
        )],
    ))
    .unwrap();
}

pub fn alloc(qty: Qty, date: &str, policy: AllocationPolicy) -> AllocationRequest {
    AllocationRequest {
        product: pid("AMOX"),
        location: loc("S1"),
        qty,
        date: d(date),
        policy,
        also_from: Vec::new(),
    }
}

pub fn dispense() -> Movement {
    Movement::Dispense { reservation: None }
}

/// Receives `qty` of a batch at S1 on `date` at a stated unit cost.
pub fn receive_costed(l: &mut Ledger, key: &str, date: &str, batch: &str, qty: Qty, cost: Decimal) {
    l.post(posting(
        key,
        date,
        vec![line(
            Movement::Receipt {
                unit_cost: Some(cost),
                accept_expired: false,
            },
            batch,
            "S1",
            qty,
        )],
    ))
    .unwrap();
}
