//! Every billing entry point that takes JSON: rules, invoices, credit notes, payments, daily
//! summaries. Pure functions: the check is that nothing is INTERNAL (a panic, a trap in WASM).
#![no_main]
use apotheca::billing as b;
use apotheca_fuzz::*;
use libfuzzer_sys::fuzz_target;

const RULES: &str = r#"{ "rules": [
  { "category": "3004", "effective_from": "2025-01-01", "components": [{ "name": "GST", "kind": "gst", "rate": "5" }] },
  { "category": "C", "effective_from": "2025-01-01", "components": [
      { "name": "A", "kind": "percent", "rate": "1000" },
      { "name": "B", "kind": "percent", "rate": "1000", "compound": true },
      { "name": "F", "kind": "fixed", "rate": "1000000000000" } ] } ] }"#;

fuzz_target!(|data: &[u8]| {
    let Some((op, text)) = op_and_text(data) else {
        return;
    };
    let Ok(engine) = apotheca::Billing::from_json(RULES) else {
        return;
    };
    match op % 6 {
        0 => no_internal(&apotheca::Billing::from_json(text)),
        1 => {
            let r = decode(text).and_then(|i| engine.price_invoice(&i));
            no_internal(&r);
            if let Ok(inv) = r {
                let t = &inv.totals;
                assert_eq!(t.grand_total, t.taxable + t.tax + t.round_off);
            }
        }
        2 => no_internal(
            &decode::<(b::PricedInvoice, b::CreditRequest)>(text)
                .and_then(|(i, c)| b::credit_note(&i, &c)),
        ),
        3 => no_internal(
            &decode::<(
                String,
                apotheca::domain::strict::StrictDecimal,
                Vec<b::Tender>,
            )>(text)
            .and_then(|(c, d, t)| b::settle_payments(&c, d.0, &t)),
        ),
        4 => no_internal(
            &decode::<(Vec<b::PricedInvoice>, Vec<b::CreditNote>)>(text)
                .and_then(|(i, c)| b::daily_summary(&i, &c)),
        ),
        _ => no_internal(
            &decode::<(
                apotheca::domain::strict::StrictDecimal,
                String,
                b::WordsStyle,
            )>(text)
            .and_then(|(a, c, s)| b::amount_in_words(a.0, &c, s)),
        ),
    }
});
