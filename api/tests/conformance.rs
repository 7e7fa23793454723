//! The Rust conformance runner: every case under `conformance/` through the `apotheca` facade.
//! Format and matching rules: `conformance/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use apotheca::*;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance")
}

fn arg<T: DeserializeOwned>(v: &Value) -> ApiResult<T> {
    apotheca::wire::decode(v.clone(), apotheca::wire::Case::Snake)
}

fn field<T: DeserializeOwned>(v: &Value, name: &str) -> ApiResult<T> {
    arg(v.get(name).unwrap_or(&Value::Null))
}

fn to_json<T: serde::Serialize>(t: T) -> ApiResult<Value> {
    Ok(serde_json::to_value(t)?)
}

/// Calls one facade operation by its conformance name.
fn call(ledger: &Ledger, op: &str, args: &Value) -> ApiResult<Value> {
    let loc = |v: &Value| -> ApiResult<Option<LocationId>> { field(v, "location") };
    match op {
        "parse_expiry" => {
            to_json(json!({ "date": parse_expiry(&field::<String>(args, "label")?)? }))
        }
        "allocate" => to_json(ledger.allocate(&arg(args)?)?),
        "dispense" => to_json(ledger.dispense(arg(args)?)?),
        "post" => to_json(ledger.post(arg(args)?)?),
        "set_batch_status" => to_json(json!({ "seq": ledger.set_batch_status(arg(args)?)? })),
        "stock" => to_json(ledger.stock(&arg(args)?)?),
        "stock_totals" => to_json(ledger.stock_totals(&arg(args)?)?),
        "stock_as_of" => to_json(ledger.stock_as_of(
            field::<apotheca::domain::strict::StrictDate>(args, "date")?.0,
            &field(args, "filter")?,
        )?),
        "stock_card" => to_json(ledger.stock_card(&arg(args)?)?),
        "expiry_buckets" => {
            let bounds: Vec<u32> = field(args, "bounds")?;
            to_json(ledger.expiry_buckets(
                field::<apotheca::domain::strict::StrictDate>(args, "on")?.0,
                &bounds,
                loc(args)?.as_ref(),
            )?)
        }
        "lot_alerts" => to_json(ledger.lot_alerts(
            field::<apotheca::domain::strict::StrictDate>(args, "on")?.0,
            match args.get("since") {
                Some(v) if !v.is_null() => Some(arg::<apotheca::domain::strict::StrictDate>(v)?.0),
                _ => None,
            },
        )?),
        "expired" => to_json(ledger.expired(
            field::<apotheca::domain::strict::StrictDate>(args, "on")?.0,
            loc(args)?.as_ref(),
        )?),
        "expiring_within" => to_json(ledger.expiring_within(
            field::<apotheca::domain::strict::StrictDate>(args, "on")?.0,
            field(args, "days")?,
            loc(args)?.as_ref(),
        )?),
        "valuation" => to_json(ledger.valuation(loc(args)?.as_ref())?),
        "cost_layers" => to_json(ledger.cost_layers(
            &field(args, "product")?,
            &field(args, "batch")?,
            &field(args, "location")?,
        )?),
        "trace_batch" => {
            to_json(ledger.trace_batch(&field(args, "product")?, &field(args, "batch")?)?)
        }
        "trace_document" => to_json(ledger.trace_document(&field::<String>(args, "reference")?)?),
        "document" => to_json(ledger.document(&field::<String>(args, "reference")?)?),
        "events_since" => to_json(ledger.events_since(field::<u64>(args, "seq")?)?),
        "available_to_promise" => {
            let date: NaiveDate = field::<apotheca::domain::strict::StrictDate>(args, "date")?.0;
            let qty = ledger.available_to_promise(
                &field(args, "product")?,
                &field(args, "location")?,
                date,
                field(args, "min_shelf_life_days")?,
            )?;
            to_json(json!({ "qty": qty }))
        }
        "replay" => {
            let replayed = Ledger::from_events(&ledger.events()?)?;
            to_json(json!({ "digest_equal": replayed.digest()? == ledger.digest()? }))
        }
        other => billing_call(other, args),
    }
}

/// The interaction ops: the sample knowledge base unless `sources` or `knowledge_base` is given.
fn interactions_call(op: &str, args: &Value) -> ApiResult<Value> {
    use apotheca::interactions::KnowledgeSources;
    let engine = || -> ApiResult<Interactions> {
        if let Some(s) = args.get("sources") {
            Interactions::load(&arg::<KnowledgeSources>(s)?)
        } else if let Some(kb) = args.get("knowledge_base") {
            Interactions::new(arg(kb)?)
        } else {
            Interactions::sample()
        }
    };
    // The request is the arguments without the knowledge base they name.
    let mut request = args.clone();
    if let Some(m) = request.as_object_mut() {
        m.remove("sources");
        m.remove("knowledge_base");
    }
    match op {
        "screen" => to_json(engine()?.screen(&arg(&request)?)?),
        "check_new" => to_json(engine()?.check_new(&arg(&request)?)?),
        "screen_many" => to_json(engine()?.screen_many(&field::<Vec<_>>(args, "requests")?)?),
        "explain" => to_json(engine()?.explain(&field::<String>(args, "rule")?)?),
        "resolve" => {
            to_json(engine()?.resolve(&field::<String>(args, "text")?, field(args, "limit")?)?)
        }
        "load_knowledge_base" => {
            let engine = Interactions::load(&field(args, "sources")?)?;
            to_json(json!({"stats": engine.stats(), "reports": engine.load_reports()}))
        }
        "stats" => to_json(engine()?.stats()),
        "edge_list" => to_json(engine()?.edge_list()?),
        "adjacency_pair" => {
            let m = engine()?.adjacency()?;
            let at = |k: &str| -> ApiResult<usize> {
                let id: String = field(args, k)?;
                m.drugs
                    .iter()
                    .position(|d| *d == id)
                    .ok_or_else(|| ApiError::new(ErrorCode::UnknownDrug, id))
            };
            let (a, b) = (at("a")?, at("b")?);
            to_json(json!({"ab": m.weights[a][b], "ba": m.weights[b][a], "size": m.drugs.len()}))
        }
        "memberships" => {
            let drug: String = field(args, "drug")?;
            let rows: Vec<_> = engine()?
                .memberships()?
                .into_iter()
                .filter(|m| m.drug == drug)
                .collect();
            to_json(rows)
        }
        "predict_links" => to_json(engine()?.predict_links(
            field::<Option<String>>(args, "drug")?.as_deref(),
            field(args, "limit")?,
        )?),
        other => forecasting_call(other, args),
    }
}

/// The forecasting ops: stateless, one facade function each.
fn forecasting_call(op: &str, args: &Value) -> ApiResult<Value> {
    use apotheca::forecasting;
    match op {
        "forecast" => to_json(forecasting::forecast(&arg(args)?)?),
        "forecast_long" => to_json(forecasting::forecast_long(&arg(args)?)?),
        "backtest" => to_json(forecasting::backtest(&arg(args)?)?),
        "classify" => to_json(forecasting::classify(&field::<Vec<_>>(args, "series")?)?),
        "average_monthly_consumption" => to_json(forecasting::average_monthly_consumption(
            &field(args, "request")?,
        )?),
        "suggest_orders" => to_json(forecasting::suggest_orders(&field::<Vec<_>>(
            args,
            "positions",
        )?)?),
        other => Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("unknown conformance op {other}"),
        )),
    }
}

/// The billing ops: `{rules, invoice}` to price, `credits` issued in order (each with the
/// earlier ones as `previous`), and the stateless operations.
fn billing_call(op: &str, args: &Value) -> ApiResult<Value> {
    use apotheca::billing::{self, CreditNote, CreditRequest, PricedInvoice};
    let engine = || Billing::new(field(args, "rules")?);
    let credits = |invoice: &PricedInvoice, requests: &Value| -> ApiResult<Vec<CreditNote>> {
        let mut notes: Vec<CreditNote> = Vec::new();
        for r in requests.as_array().into_iter().flatten() {
            let mut req: CreditRequest = arg(r)?;
            req.previous = notes.clone();
            notes.push(billing::credit_note(invoice, &req)?);
        }
        Ok(notes)
    };
    match op {
        "tax_rules" => {
            let text: String = field(args, "text")?;
            let b = match field::<String>(args, "format")?.as_str() {
                "toml" => Billing::from_toml(&text)?,
                _ => Billing::from_json(&text)?,
            };
            to_json(b.rules())
        }
        "price_invoice" => to_json(engine()?.price_invoice(&field(args, "invoice")?)?),
        "compute_taxes" => to_json(billing::compute_taxes(&field(args, "request")?)?),
        "reprice" => to_json(billing::reprice(&field(args, "request")?)?),
        "compute_document" => to_json(billing::compute_document(&field(args, "request")?)?),
        "price_document" => to_json(engine()?.price_document(&field(args, "request")?)?),
        "credit_note" => {
            let invoice = engine()?.price_invoice(&field(args, "invoice")?)?;
            to_json(credits(&invoice, &args["credits"])?.pop())
        }
        "settle_payments" => to_json(billing::settle_payments(
            &field::<String>(args, "currency")?,
            field::<apotheca::domain::strict::StrictDecimal>(args, "due")?.0,
            &field::<Vec<billing::Tender>>(args, "tenders")?,
        )?),
        "amount_in_words" => to_json(json!({"words": billing::amount_in_words(
            field::<apotheca::domain::strict::StrictDecimal>(args, "amount")?.0,
            &field::<String>(args, "currency")?,
            field(args, "style")?,
        )?})),
        "next_invoice_number" => to_json(billing::next_invoice_number(
            &field(args, "series")?,
            field::<apotheca::domain::strict::StrictDate>(args, "date")?.0,
            field::<Option<String>>(args, "last")?.as_deref(),
        )?),
        "check_invoice_numbers" => to_json(billing::check_invoice_numbers(
            &field(args, "series")?,
            &field::<Vec<String>>(args, "numbers")?,
        )?),
        "daily_summary" => {
            let b = engine()?;
            let mut invoices = Vec::new();
            for i in args["invoices"].as_array().into_iter().flatten() {
                invoices.push(b.price_invoice(&arg(i)?)?);
            }
            let mut notes = Vec::new();
            for c in args["credits"].as_array().into_iter().flatten() {
                let at: usize = field(c, "invoice")?;
                notes.extend(credits(&invoices[at], &json!([c["request"]]))?);
            }
            to_json(billing::daily_summary(&invoices, &notes)?)
        }
        other => interactions_call(other, args),
    }
}

fn setup(setup: Option<&Value>) -> Result<Ledger, String> {
    let ledger = Ledger::new();
    let Some(s) = setup else { return Ok(ledger) };
    let list = |k: &str| {
        s.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let fail = |what: &str, e: ApiError| format!("setup {what} failed: {e}");
    if let Some(c) = s.get("catalog") {
        ledger
            .load_catalog(&arg(c).map_err(|e| fail("catalog", e))?)
            .map_err(|e| fail("catalog", e))?;
    }
    for p in list("postings") {
        ledger
            .post(arg(&p).map_err(|e| fail("posting", e))?)
            .map_err(|e| fail("posting", e))?;
    }
    for d in list("dispenses") {
        ledger
            .dispense(arg(&d).map_err(|e| fail("dispense", e))?)
            .map_err(|e| fail("dispense", e))?;
    }
    for c in list("status_changes") {
        ledger
            .set_batch_status(arg(&c).map_err(|e| fail("status change", e))?)
            .map_err(|e| fail("status change", e))?;
    }
    Ok(ledger)
}

/// `expected` is a subset of `actual`: object keys present and matching, arrays of equal length
/// matching element by element, scalars equal (numbers within `tolerance` when one is given).
fn subset(expected: &Value, actual: &Value, tolerance: f64, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().try_for_each(|(k, ev)| {
            let p = format!("{path}.{k}");
            match a.get(k) {
                Some(av) => subset(ev, av, tolerance, &p),
                None if ev.is_null() => Ok(()),
                None => Err(format!("{p}: missing, expected {ev}")),
            }
        }),
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .try_for_each(|(i, (ev, av))| subset(ev, av, tolerance, &format!("{path}[{i}]")))
        }
        (Value::Number(e), Value::Number(a)) if tolerance > 0.0 => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            if (e - a).abs() <= tolerance {
                Ok(())
            } else {
                Err(format!("{path}: expected {e} ± {tolerance}, got {a}"))
            }
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn check(
    expect: Option<&Value>,
    expect_error: Option<&Value>,
    tolerance: f64,
    got: ApiResult<Value>,
) -> Result<(), String> {
    match (expect_error, got) {
        (Some(err), Ok(v)) => Err(format!("expected error {err}, got {v}")),
        (Some(err), Err(e)) => {
            let code = err.get("code").and_then(Value::as_str).unwrap_or_default();
            if code == e.code.as_str() {
                Ok(())
            } else {
                Err(format!(
                    "expected error {code}, got {} ({})",
                    e.code, e.message
                ))
            }
        }
        (None, Err(e)) => Err(format!("unexpected error {}: {}", e.code, e.message)),
        (None, Ok(v)) => subset(expect.unwrap_or(&Value::Null), &v, tolerance, "$"),
    }
}

fn run_case(case: &Value) -> Result<(), String> {
    let op = case["op"].as_str().ok_or("case without op")?;
    let input = &case["input"];
    let ledger = setup(input.get("setup"))?;
    let tolerance = case.get("tolerance").and_then(Value::as_f64).unwrap_or(0.0);
    check(
        case.get("expect"),
        case.get("expect_error"),
        tolerance,
        call(&ledger, op, &input["args"]),
    )?;
    for (i, step) in case
        .get("after")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let op = step["op"].as_str().ok_or("after step without op")?;
        check(
            step.get("expect"),
            step.get("expect_error"),
            tolerance,
            call(&ledger, op, &step["args"]),
        )
        .map_err(|e| format!("after[{i}] {op}: {e}"))?;
    }
    Ok(())
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") && path.parent() != Some(&root()) {
            out.push(path);
        }
    }
}

#[test]
fn conformance_cases_pass() {
    let mut files = Vec::new();
    case_files(&root(), &mut files);
    files.sort();
    let mut per_capability: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for f in &files {
        let capability = f
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let entry = per_capability.entry(capability).or_default();
        match run_case(&case) {
            Ok(()) => entry.0 += 1,
            Err(e) => {
                entry.1 += 1;
                failures.push(format!("{}: {e}", case["id"].as_str().unwrap_or("?")));
            }
        }
    }
    for (cap, (p, f)) in &per_capability {
        println!("rust conformance {cap}: {p} passed, {f} failed");
    }
    assert!(!files.is_empty(), "no conformance cases found");
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn error_codes_are_unique_and_match_the_shared_list() {
    let listed: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(root().join("error-codes.json")).unwrap())
            .unwrap();
    let ours: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    let mut unique = ours.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ours.len(), "duplicate error codes");
    assert_eq!(
        ours, listed,
        "conformance/error-codes.json and ErrorCode differ"
    );
    for c in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(c).unwrap(),
            Value::String(c.as_str().to_string())
        );
    }
}
