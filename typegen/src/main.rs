//! `cargo xtask gen`: every language's types from the Rust types, through their JSON Schemas.
//!
//! The facade's inputs and outputs derive `schemars::JsonSchema` (the `schema` feature of the
//! domain crates and the facade). This program collects their schemas and writes, from them:
//!
//! - `schema/apotheca.schema.json`: every type as JSON Schema (2020-12), for other consumers;
//! - `bindings-node/types.d.ts`: the TypeScript declarations of Node and WebAssembly (camelCase);
//! - `bindings-python/python/apotheca/types.py`: `TypedDict`s and `Literal`s for Python;
//! - `bindings-python/python/apotheca/_codes.py`: the error codes and their exception families;
//! - `api/src/shapes.rs`: where each output holds money and dates, for Python's conversion;
//! - `conformance/error-codes.json`: the error codes, for every runner.
//!
//! `typegen` writes them; `typegen --check` writes nothing and fails when one differs from what
//! is committed (`cargo xtask test` runs it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value};

/// Whether a root type is read from callers, returned to them, or both.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Built by callers: described as read (fields with a default are optional).
    In,
    /// Returned by apotheca, and at most handed back as it was (events, priced invoices):
    /// described as written (an optional field is absent, never `null`).
    Out,
    /// Built by callers and also returned (a catalog, a rule set): described as read.
    Both,
}

struct Root {
    role: Role,
    /// The Rust path, as the facade exports it.
    path: &'static str,
    name: String,
    add: fn(&mut SchemaGenerator),
}

macro_rules! roots {
    ($($role:ident $t:path),* $(,)?) => {
        vec![$(Root {
            role: Role::$role,
            path: stringify!($t),
            name: <$t as schemars::JsonSchema>::schema_name().into_owned(),
            add: |g| {
                g.subschema_for::<$t>();
            },
        }),*]
    };
}

/// Every type a facade call takes or returns.
fn roots() -> Vec<Root> {
    roots![
        // Stock ledger.
        Both apotheca::Catalog,
        In apotheca::Location,
        In apotheca::Product,
        In apotheca::Batch,
        In apotheca::Posting,
        In apotheca::StatusChange,
        In apotheca::AllocationRequest,
        In apotheca::DispenseRequest,
        In apotheca::StockFilter,
        Out apotheca::PostingResult,
        Out apotheca::Allocation,
        Out apotheca::DispenseResult,
        Out apotheca::StockRow,
        Out apotheca::StockTotals,
        Out apotheca::AsOfRow,
        Out apotheca::MovementEntry,
        Out apotheca::DocumentLine,
        Out apotheca::ExpiryRow,
        Out apotheca::LotAlerts,
        Out apotheca::ExpiryBucket,
        Out apotheca::Valuation,
        Out apotheca::CostLayer,
        Out apotheca::BatchTrace,
        Out apotheca::EventEnvelope,
        // Billing.
        Both apotheca::billing_rules::TaxRuleSet,
        In apotheca::billing_rules::InvoiceRequest,
        Out apotheca::billing_rules::PricedInvoice,
        In apotheca::billing_rules::CreditRequest,
        Out apotheca::billing_rules::CreditNote,
        In apotheca::billing_rules::Tender,
        Out apotheca::billing_rules::Settlement,
        In apotheca::billing_rules::InvoiceSeries,
        Out apotheca::billing_rules::InvoiceNumber,
        Out apotheca::billing_rules::SequenceReport,
        Out apotheca::billing_rules::DaySummary,
        In apotheca::billing_rules::WordsStyle,
        In apotheca::billing_rules::TaxLineRequest,
        Out apotheca::billing_rules::TaxLineResult,
        In apotheca::billing_rules::TaxDocumentRequest,
        Out apotheca::billing_rules::TaxDocument,
        In apotheca::billing_rules::RepriceRequest,
        Out apotheca::billing_rules::Repriced,
        // Interactions.
        Both apotheca::interactions_kb::KnowledgeBase,
        In apotheca::interactions::KnowledgeSources,
        In apotheca::interactions_kb::ScreenRequest,
        In apotheca::interactions_kb::CheckRequest,
        Out apotheca::interactions_kb::LoadReport,
        Out apotheca::interactions_kb::Stats,
        Out apotheca::interactions_kb::Screening,
        Out apotheca::interactions_kb::Resolution,
        Out apotheca::interactions_kb::EdgeRow,
        Out apotheca::interactions::AdjacencyRows,
        Out apotheca::interactions_kb::Membership,
        Out apotheca::interactions_kb::LinkScore,
        Out apotheca::interactions_kb::Rule,
        // Forecasting.
        In apotheca::forecasting::ForecastRequest,
        In apotheca::forecasting::LongForecastRequest,
        In apotheca::forecasting::BacktestRequest,
        In apotheca::forecasting::Series,
        In apotheca::forecasting_models::StockPosition,
        Out apotheca::forecasting::SeriesForecast,
        Out apotheca::forecasting::LongForecastRow,
        Out apotheca::forecasting::BacktestReport,
        Out apotheca::forecasting::SeriesClass,
        Out apotheca::forecasting_models::Suggestion,
        In apotheca::forecasting::ConsumptionRequest,
        Out apotheca::forecasting::ConsumptionReport,
        Both apotheca::forecasting_models::Model,
        In apotheca::frame::FrameSpec,
        // Errors.
        Out apotheca::ApiError,
    ]
}

/// The definitions of every root: as callers write them where callers build the type (or a
/// type that holds it), else as apotheca writes them.
fn definitions(roots: &[Root]) -> BTreeMap<String, Value> {
    let mut input = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let mut output = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    for r in roots {
        match r.role {
            Role::Out => (r.add)(&mut output),
            Role::In | Role::Both => (r.add)(&mut input),
        }
    }
    let mut defs: BTreeMap<String, Value> = output.take_definitions(true).into_iter().collect();
    for v in defs.values_mut() {
        absent_not_null(v);
    }
    defs.extend(input.take_definitions(true));
    for v in defs.values_mut() {
        normalise(v);
    }
    defs
}

/// In what apotheca writes, a field that may be left out (`skip_serializing_if`) is left out
/// rather than written as `null`: its type loses `null`.
fn absent_not_null(v: &mut Value) {
    let Some(m) = v.as_object_mut() else {
        return;
    };
    let req: BTreeSet<String> = required(m).into_iter().map(str::to_string).collect();
    if let Some(Value::Object(p)) = m.get_mut("properties") {
        for (k, f) in p.iter_mut() {
            if req.contains(k) {
                continue;
            }
            if let Some(Value::Array(ts)) = f.get_mut("type") {
                ts.retain(|t| t != "null");
                if ts.len() == 1 {
                    let one = ts[0].clone();
                    f["type"] = one;
                }
            }
            if let Some(Value::Array(arms)) = f.get_mut("anyOf") {
                arms.retain(|a| a.get("type").and_then(Value::as_str) != Some("null"));
                if arms.len() == 1 {
                    let one = arms[0].clone();
                    *f = one;
                }
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(vs)) = m.get_mut(key) {
            vs.iter_mut().for_each(absent_not_null);
        }
    }
}

/// Decimals (schemars writes a pattern) become `{"type": "string", "format": "decimal"}`:
/// apotheca reads money only from strings.
fn normalise(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let decimal = m
                .get("pattern")
                .and_then(Value::as_str)
                .is_some_and(|p| p.starts_with(r"^-?\d+(\.\d+)?"));
            if decimal {
                m.remove("pattern");
                let nullable = types(m).contains(&"null");
                m.insert(
                    "type".into(),
                    if nullable {
                        serde_json::json!(["string", "null"])
                    } else {
                        "string".into()
                    },
                );
                m.insert("format".into(), "decimal".into());
            }
            m.values_mut().for_each(normalise);
        }
        Value::Array(a) => a.iter_mut().for_each(normalise),
        _ => {}
    }
}

fn types(m: &Map<String, Value>) -> Vec<&str> {
    match m.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

fn ref_name(m: &Map<String, Value>) -> Option<&str> {
    m.get("$ref")?.as_str()?.strip_prefix("#/$defs/")
}

fn variants(m: &Map<String, Value>) -> Option<&Vec<Value>> {
    m.get("oneOf")
        .or_else(|| m.get("anyOf"))
        .and_then(Value::as_array)
}

fn props(m: &Map<String, Value>) -> Option<&Map<String, Value>> {
    m.get("properties").and_then(Value::as_object)
}

fn required(m: &Map<String, Value>) -> BTreeSet<&str> {
    m.get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn description(v: &Value) -> Option<&str> {
    v.get("description").and_then(Value::as_str)
}

/// `m` with one type of its `type` list, for the arms of `"type": ["string", "null"]`.
fn with_type(m: &Map<String, Value>, t: &str) -> Value {
    let mut one = m.clone();
    one.insert("type".into(), t.into());
    Value::Object(one)
}

// ---------------------------------------------------------------------------------------------
// TypeScript.

fn ts_key(key: &str) -> String {
    let k = apotheca::wire::camel(key);
    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        k
    } else {
        format!("{k:?}")
    }
}

fn ts_doc(out: &mut String, indent: &str, doc: Option<&str>) {
    if let Some(d) = doc {
        let d = d.replace("*/", "*\\/");
        if d.contains('\n') {
            let _ = writeln!(out, "{indent}/**");
            for l in d.lines() {
                let _ = writeln!(out, "{}", format!("{indent} * {l}").trim_end());
            }
            let _ = writeln!(out, "{indent} */");
        } else {
            let _ = writeln!(out, "{indent}/** {d} */");
        }
    }
}

fn ts_props(m: &Map<String, Value>, indent: &str) -> String {
    let req = required(m);
    let mut out = String::new();
    if let Some(p) = props(m) {
        for (k, v) in p {
            ts_doc(&mut out, indent, description(v));
            let opt = if req.contains(k.as_str()) { "" } else { "?" };
            let _ = writeln!(out, "{indent}{}{opt}: {}", ts_key(k), ts(v));
        }
    }
    out
}

fn ts(v: &Value) -> String {
    let Some(m) = v.as_object() else {
        return "unknown".into();
    };
    if let Some(r) = ref_name(m) {
        return r.to_string();
    }
    if let Some(c) = m.get("const") {
        return c.to_string().replace('"', "'");
    }
    if let Some(e) = m.get("enum").and_then(Value::as_array) {
        return e
            .iter()
            .map(|x| x.to_string().replace('"', "'"))
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let ts_list = types(m);
    if ts_list.len() > 1 {
        return ts_list
            .iter()
            .map(|t| ts(&with_type(m, t)))
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let base = match ts_list.first().copied() {
        Some("string") => match m.get("format").and_then(Value::as_str) {
            Some("decimal") => "Decimal".to_string(),
            Some("date") => "IsoDate".to_string(),
            _ => "string".to_string(),
        },
        Some("integer" | "number") => "number".into(),
        Some("boolean") => "boolean".into(),
        Some("null") => "null".into(),
        Some("array") => {
            if let Some(items) = m.get("prefixItems").and_then(Value::as_array) {
                format!("[{}]", items.iter().map(ts).collect::<Vec<_>>().join(", "))
            } else {
                let inner = m.get("items").map(ts).unwrap_or_else(|| "unknown".into());
                if inner.contains(' ') {
                    format!("({inner})[]")
                } else {
                    format!("{inner}[]")
                }
            }
        }
        Some("object") => {
            if props(m).is_some() {
                format!("{{\n{}}}", ts_props(m, "  "))
            } else {
                match m.get("additionalProperties") {
                    Some(Value::Object(_)) => {
                        format!("Record<string, {}>", ts(&m["additionalProperties"]))
                    }
                    _ => "Record<string, unknown>".into(),
                }
            }
        }
        _ => String::new(),
    };
    match variants(m) {
        Some(vs) => {
            let union = vs.iter().map(ts).collect::<Vec<_>>().join(" | ");
            if base.is_empty() {
                union
            } else {
                format!("{base} & ({union})")
            }
        }
        None if base.is_empty() => "unknown".into(),
        None => base,
    }
}

fn typescript(defs: &BTreeMap<String, Value>) -> String {
    let mut out = String::from(TS_HEADER);
    for (name, v) in defs {
        let m = v.as_object().cloned().unwrap_or_default();
        out.push('\n');
        ts_doc(&mut out, "", description(v));
        let is_interface = props(&m).is_some() && variants(&m).is_none() && types(&m) == ["object"];
        if is_interface {
            let _ = writeln!(out, "export interface {name} {{\n{}}}", ts_props(&m, "  "));
        } else {
            let _ = writeln!(out, "export type {name} = {}", ts(v));
        }
    }
    out.push_str(TS_FOOTER);
    out
}

const TS_HEADER: &str = "\
// Generated by `cargo xtask gen` from the Rust types' JSON Schemas: do not edit.
// The shapes of apotheca's values in JavaScript, shared by @apotheca/node and @apotheca/wasm.
// Keys are camelCase. Money is a canonical decimal string (\"63.00\"): never a float, never a
// bigint. Dates are \"YYYY-MM-DD\" strings: never a JS Date, whose timezone can move an expiry
// by a day. Quantities are whole base units (tablets, ml) as numbers.

/** A decimal amount as a canonical string, e.g. `\"63.00\"`. */
export type Decimal = string & { readonly __brand?: 'Decimal' }
/** A calendar date as `\"YYYY-MM-DD\"`. */
export type IsoDate = string & { readonly __brand?: 'IsoDate' }

/**
 * What every apotheca call throws (or rejects with): an `Error` with a stable `code` and the
 * facts as data in `details`. The package exports the class, so `instanceof` works.
 */
export interface ApothecaErrorShape extends Error {
  name: 'ApothecaError'
  code: ErrorCode
  details: ErrorDetails
}
";

const TS_FOOTER: &str = "
/** A ledger event as `events()` returns it: the envelope with its payload. */
export type LedgerEvent = EventEnvelope
/** The knowledge base's counts. */
export type InteractionStats = Stats
";

// ---------------------------------------------------------------------------------------------
// Python.

fn camel_case(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn py_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A Python type expression; names are quoted so that order does not matter.
fn py(v: &Value) -> String {
    let Some(m) = v.as_object() else {
        return "Any".into();
    };
    if let Some(r) = ref_name(m) {
        return py_str(r);
    }
    if let Some(c) = m.get("const") {
        return format!("Literal[{c}]");
    }
    if let Some(e) = m.get("enum").and_then(Value::as_array) {
        let items: Vec<String> = e.iter().map(Value::to_string).collect();
        return format!("Literal[{}]", items.join(", "));
    }
    let tl = types(m);
    if tl.len() > 1 {
        let arms: Vec<String> = tl
            .iter()
            .filter(|t| **t != "null")
            .map(|t| py(&with_type(m, t)))
            .collect();
        let inner = if arms.len() == 1 {
            arms[0].clone()
        } else {
            format!("Union[{}]", arms.join(", "))
        };
        return if tl.contains(&"null") {
            format!("Optional[{inner}]")
        } else {
            inner
        };
    }
    if let Some(vs) = variants(m)
        && props(m).is_none()
    {
        let consts: Option<Vec<String>> = vs
            .iter()
            .map(|x| x.get("const").map(Value::to_string))
            .collect();
        if let Some(c) = consts {
            return format!("Literal[{}]", c.join(", "));
        }
        let arms: Vec<String> = vs.iter().map(py).collect();
        return format!("Union[{}]", arms.join(", "));
    }
    match tl.first().copied() {
        Some("string") => match m.get("format").and_then(Value::as_str) {
            Some("decimal") => "Decimal".into(),
            Some("date") => "date".into(),
            _ => "str".into(),
        },
        Some("integer") => "int".into(),
        Some("number") => "float".into(),
        Some("boolean") => "bool".into(),
        Some("null") => "None".into(),
        Some("array") => match m.get("prefixItems").and_then(Value::as_array) {
            Some(items) => format!(
                "tuple[{}]",
                items.iter().map(py).collect::<Vec<_>>().join(", ")
            ),
            None => format!("list[{}]", m.get("items").map(py).unwrap_or("Any".into())),
        },
        Some("object") => match m.get("additionalProperties") {
            Some(Value::Object(_)) if props(m).is_none() => {
                format!("dict[str, {}]", py(&m["additionalProperties"]))
            }
            _ => "dict[str, Any]".into(),
        },
        _ => "Any".into(),
    }
}

const PY_KEYWORDS: &[&str] = &[
    "class", "from", "import", "def", "return", "if", "else", "for", "in", "is", "not", "and",
    "or", "lambda", "global", "with", "as", "pass", "yield", "try", "except", "raise", "del",
    "while", "break", "continue", "assert", "async", "await", "None", "True", "False",
];

/// One `TypedDict` from the properties of `parts` (a base and a variant, or one object).
fn py_class(out: &mut String, name: &str, doc: Option<&str>, parts: &[&Map<String, Value>]) {
    let mut fields: Vec<(String, String, Option<String>)> = Vec::new();
    for m in parts {
        let req = required(m);
        if let Some(p) = props(m) {
            for (k, v) in p {
                let t = py(v);
                let t = if req.contains(k.as_str()) {
                    t
                } else {
                    format!("NotRequired[{t}]")
                };
                fields.retain(|(f, _, _)| f != k);
                fields.push((k.clone(), t, description(v).map(str::to_string)));
            }
        }
    }
    let functional = fields
        .iter()
        .any(|(k, _, _)| PY_KEYWORDS.contains(&k.as_str()));
    out.push('\n');
    if functional {
        let items: Vec<String> = fields
            .iter()
            .map(|(k, t, _)| format!("    {}: {t},", py_str(k)))
            .collect();
        let _ = writeln!(
            out,
            "{name} = TypedDict(\n    {},\n    {{\n{}\n    }},\n)",
            py_str(name),
            items
                .join("\n")
                .replace("\n    ", "\n        ")
                .replacen("    ", "        ", 1)
        );
        if let Some(d) = doc {
            let _ = writeln!(out, "{name}.__doc__ = {}", py_str(d));
        }
        return;
    }
    let _ = writeln!(out, "class {name}(TypedDict):");
    match doc {
        Some(d) => {
            let d = d.replace('\\', "\\\\").replace("\"\"\"", "'''");
            let _ = writeln!(
                out,
                "    \"\"\"{}\"\"\"",
                d.replace('\n', "\n    ").trim_end()
            );
        }
        None if fields.is_empty() => out.push_str("    pass\n"),
        None => {}
    }
    for (k, t, d) in &fields {
        if let Some(d) = d {
            for l in d.lines() {
                let _ = writeln!(out, "{}", format!("    #: {l}").trim_end());
            }
        }
        let _ = writeln!(out, "    {k}: {t}");
    }
}

/// The tag of an internally tagged variant: the property whose schema is a `const`.
fn tag_of(m: &Map<String, Value>) -> Option<String> {
    props(m)?.values().find_map(|v| {
        v.get("const")
            .and_then(Value::as_str)
            .map(camel_case)
            .or_else(|| {
                v.get("enum")
                    .and_then(Value::as_array)
                    .filter(|a| a.len() == 1)
                    .and_then(|a| a[0].as_str())
                    .map(camel_case)
            })
    })
}

fn python(defs: &BTreeMap<String, Value>) -> String {
    let mut out = String::from(PY_HEADER);
    let mut names = Vec::new();
    for (name, v) in defs {
        names.push(name.clone());
        let m = v.as_object().cloned().unwrap_or_default();
        let doc = description(v);
        let object_variants = variants(&m).filter(|vs| {
            vs.iter()
                .all(|x| x.as_object().is_some_and(|o| props(o).is_some()))
        });
        if let Some(vs) = object_variants {
            let mut arms = Vec::new();
            for (i, x) in vs.iter().enumerate() {
                let xm = x.as_object().cloned().unwrap_or_default();
                let arm = format!(
                    "{name}{}",
                    tag_of(&xm).unwrap_or_else(|| (i + 1).to_string())
                );
                py_class(&mut out, &arm, description(x).or(doc), &[&m, &xm]);
                arms.push(py_str(&arm));
            }
            out.push('\n');
            if let Some(d) = doc {
                for l in d.lines() {
                    let _ = writeln!(out, "{}", format!("#: {l}").trim_end());
                }
            }
            let _ = writeln!(out, "{name} = Union[{}]", arms.join(", "));
        } else if props(&m).is_some() {
            py_class(&mut out, name, doc, &[&m]);
        } else {
            out.push('\n');
            if let Some(d) = doc {
                for l in d.lines() {
                    let _ = writeln!(out, "{}", format!("#: {l}").trim_end());
                }
            }
            let _ = writeln!(out, "{name} = {}", py(v));
        }
    }
    out.push_str(PY_FOOTER);
    names.extend(
        [
            "LedgerEvent",
            "Event",
            "InteractionStats",
            "ForecastModel",
            "MatrixForecast",
        ]
        .map(String::from),
    );
    names.sort();
    let _ = writeln!(
        out,
        "\n__all__ = [\n{}\n]",
        names
            .iter()
            .map(|n| format!("    {},", py_str(n)))
            .collect::<Vec<_>>()
            .join("\n")
    );
    out
}

const PY_HEADER: &str = "\
# Generated by `cargo xtask gen` from the Rust types' JSON Schemas: do not edit.
\"\"\"The shapes of apotheca's values in Python: request and result dicts as `TypedDict`s, closed
sets of names as `Literal`s. Money is `decimal.Decimal`, dates are `datetime.date`, quantities
are `int` base units. Keys are snake_case, as in every other Python API of apotheca.\"\"\"

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, NotRequired, Optional, TypedDict, Union
";

const PY_FOOTER: &str = "
#: A ledger event as `events()` returns it: the envelope with its payload.
LedgerEvent = EventEnvelope
#: A ledger event (the same as `LedgerEvent`).
Event = EventEnvelope
#: The knowledge base's counts.
InteractionStats = Stats
#: A forecasting model: `{\"name\": \"croston_sba\"}`, `{\"name\": \"ses\", \"alpha\": 0.2}`.
ForecastModel = Model


class MatrixForecast(TypedDict):
    \"\"\"What `forecast_matrix` returns: NumPy arrays that own the result (no copy).\"\"\"

    #: numpy.ndarray of float64, shape (rows, horizon).
    mean: Any
    #: numpy.ndarray of float64, shape (levels, rows, horizon).
    lo: Any
    #: numpy.ndarray of float64, shape (levels, rows, horizon).
    hi: Any
    #: The model each row used (the one `auto` chose).
    models: list[Model]
";

fn python_codes() -> String {
    let mut out = String::from(
        "# Generated by `cargo xtask gen` from `apotheca::with_error_codes!`: do not edit.\n\
         \"\"\"Every error code and the exception family that raises it.\"\"\"\n\n\
         from __future__ import annotations\n\nfrom typing import Literal, get_args\n\n\
         #: A stable error code, the same in every language.\nErrorCode = Literal[\n",
    );
    for c in apotheca::ErrorCode::ALL {
        let _ = writeln!(out, "    {},", py_str(c.as_str()));
    }
    out.push_str(
        "]\n\n#: Every code, in declaration order.\nCODES: tuple[ErrorCode, ...] = get_args(ErrorCode)\n\n#: The exception class (in `apotheca._errors`) of each code.\nFAMILY: dict[str, str] = {\n");
    for c in apotheca::ErrorCode::ALL {
        let _ = writeln!(
            out,
            "    {}: {},",
            py_str(c.as_str()),
            py_str(c.family().class_name())
        );
    }
    out.push_str("}\n\n#: What each code means.\nDOC: dict[str, str] = {\n");
    for c in apotheca::ErrorCode::ALL {
        let _ = writeln!(
            out,
            "    {}: {},",
            py_str(c.as_str()),
            py_str(c.doc().trim())
        );
    }
    out.push_str("}\n");
    out
}

fn error_codes_json() -> String {
    let codes: Vec<&str> = apotheca::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    serde_json::to_string_pretty(&codes).unwrap_or_default() + "\n"
}

// ---------------------------------------------------------------------------------------------
// Rust shapes.

fn const_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

struct Shapes<'a> {
    defs: &'a BTreeMap<String, Value>,
    /// Definitions that hold no money and no date anywhere.
    plain: BTreeSet<String>,
}

impl Shapes<'_> {
    /// The shape of a value, or `None` where it is plain.
    fn expr(&self, v: &Value) -> Option<String> {
        let m = v.as_object()?;
        if let Some(r) = ref_name(m) {
            return (!self.plain.contains(r)).then(|| const_name(r));
        }
        let tl = types(m);
        if let Some(Value::String(f)) = m.get("format")
            && tl.contains(&"string")
        {
            return match f.as_str() {
                "decimal" => Some("Shape::Decimal".into()),
                "date" => Some("Shape::Date".into()),
                _ => None,
            };
        }
        if tl.contains(&"array") {
            if let Some(items) = m.get("prefixItems").and_then(Value::as_array) {
                let parts: Vec<Option<String>> = items.iter().map(|x| self.expr(x)).collect();
                if parts.iter().all(Option::is_none) {
                    return None;
                }
                let parts: Vec<String> = parts
                    .into_iter()
                    .map(|p| p.unwrap_or_else(|| "Shape::Plain".into()))
                    .collect();
                return Some(format!("Shape::Tuple(&[{}])", parts.join(", ")));
            }
            return self
                .expr(m.get("items")?)
                .map(|i| format!("Shape::List(&{i})"));
        }
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        self.fields(m, &mut fields);
        if !fields.is_empty() {
            let list: Vec<String> = fields
                .into_iter()
                .map(|(k, s)| format!("({k:?}, {s})"))
                .collect();
            return Some(format!("Shape::Object(&[{}])", list.join(", ")));
        }
        if let Some(ap @ Value::Object(_)) = m.get("additionalProperties") {
            return self.expr(ap).map(|i| format!("Shape::Map(&{i})"));
        }
        if let Some(vs) = variants(m) {
            return vs.iter().find_map(|x| self.expr(x));
        }
        None
    }

    /// The non-plain fields of an object, its variants' merged in.
    fn fields(&self, m: &Map<String, Value>, out: &mut BTreeMap<String, String>) {
        if let Some(p) = props(m) {
            for (k, v) in p {
                if let Some(s) = self.expr(v) {
                    out.entry(k.clone()).or_insert(s);
                }
            }
        }
        for v in variants(m).into_iter().flatten() {
            if let Some(xm) = v.as_object()
                && props(xm).is_some()
            {
                self.fields(xm, out);
            }
        }
    }
}

fn rust_shapes(defs: &BTreeMap<String, Value>, roots: &[Root]) -> String {
    // Plain definitions: none reaches a decimal or a date (a fixed point over references).
    let mut shapes = Shapes {
        defs,
        plain: defs.keys().cloned().collect(),
    };
    loop {
        let special: Vec<String> = shapes
            .plain
            .iter()
            .filter(|n| shapes.expr(&shapes.defs[*n]).is_some())
            .cloned()
            .collect();
        if special.is_empty() {
            break;
        }
        for n in special {
            shapes.plain.remove(&n);
        }
    }
    let mut out = String::from(
        "//! Generated by `cargo xtask gen` from the facade's JSON Schemas: do not edit.\n\
         //! Where each output type holds money and dates (see [`crate::shape`]).\n\
         #![allow(missing_docs)]\n\nuse crate::shape::{Shape, Shaped};\n",
    );
    let mut all = Vec::new();
    for (name, v) in defs {
        if shapes.plain.contains(name) {
            continue;
        }
        let expr = shapes.expr(v).unwrap_or_else(|| "Shape::Plain".into());
        let _ = writeln!(out, "\npub const {}: Shape = {expr};", const_name(name));
        all.push(const_name(name));
    }
    let _ = writeln!(
        out,
        "\n/// Every shape that holds money or a date.\npub const ALL: &[Shape] = &[{}];",
        all.join(", ")
    );
    for r in roots.iter().filter(|r| r.role != Role::In) {
        let path = r.path.replacen("apotheca::", "crate::", 1);
        let shape = if shapes.plain.contains(&r.name) {
            "Shape::Plain".to_string()
        } else {
            const_name(&r.name)
        };
        let _ = writeln!(
            out,
            "\nimpl Shaped for {path} {{\n    fn shape() -> Shape {{\n        {shape}\n    }}\n}}"
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Python docstrings from the facade's doc comments.

/// The doc comment of an item, as text (intra-doc links reduced to their code).
fn doc_text(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_string())
        .collect();
    let text = lines.join("\n").replace("[`", "`").replace("`]", "`");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn is_pub(v: &syn::Visibility) -> bool {
    matches!(v, syn::Visibility::Public(_))
}

/// `doc!(name)` and `doc!(Type::name)`: the facade's documentation of each public function and
/// method, for the Python binding's `#[doc = doc!(…)]` attributes.
fn python_docs() -> Result<String, String> {
    let docs = facade_docs()?;
    let mut out = String::from(
        "//! Generated by `cargo xtask gen` from the facade's doc comments: do not edit.\n\
         //! `doc!(name)` / `doc!(Type::name)` is the documentation of that function of the `apotheca`\n\
         //! facade: each Python function and method takes it as its docstring (`help()`).\n\n\
         macro_rules! doc {\n",
    );
    for (k, d) in &docs {
        let _ = writeln!(out, "    ({k}) => {{\n        {d:?}\n    }};");
    }
    out.push_str("}\n");
    Ok(out)
}

/// The type stub `_native.pyi` with docstrings for editors (which show a stub's): the
/// signatures stay as written (a test checks them against the module); every function and
/// method the facade documents gets the facade's docstring, as the module's `__doc__` has it,
/// unless its line is marked `# own doc`.
fn python_stub(docs: &BTreeMap<String, String>) -> Result<String, String> {
    const Q: &str = "\"\"\"";
    const OWN: &str = "# own doc";
    let path = root().join("bindings-python/python/apotheca/_native.pyi");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("_native.pyi: {e}"))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut class: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(c) = l.strip_prefix("class ") {
            class = c.split([':', '(']).next();
        } else if l.starts_with("def ") {
            class = None;
        }
        let t = l.trim_start();
        let indent = &l[..l.len() - t.len()];
        let name = t
            .strip_prefix("def ")
            .and_then(|r| r.split('(').next())
            .filter(|n| !n.starts_with('_'));
        let key = name.map(|n| match (class, indent.is_empty()) {
            (Some(c), false) => format!("{c}::{n}"),
            _ => n.to_string(),
        });
        // A def marked `# own doc` keeps its docstring (Python-specific: NumPy arrays, the GIL).
        let Some(doc) = key
            .filter(|_| !l.trim_end().ends_with(OWN))
            .and_then(|k| docs.get(&k))
        else {
            out.push(l.to_string());
            i += 1;
            continue;
        };
        // The def line, then past the docstring an earlier run wrote.
        out.push(
            l.strip_suffix(": ...")
                .map_or(l.to_string(), |d| format!("{d}:")),
        );
        i += 1;
        if !l.ends_with(": ...") && i < lines.len() && lines[i].trim_start().starts_with(Q) {
            let first = lines[i].trim_start();
            let one_line = first.len() > 3 && first[3..].contains(Q);
            i += 1;
            if !one_line {
                while i < lines.len() && !lines[i].contains(Q) {
                    i += 1;
                }
                i += 1;
            }
        }
        let body = format!("{indent}    ");
        let doc = doc.replace('\\', "\\\\").replace(Q, "'''");
        let mut doc_lines = doc.lines();
        let first = doc_lines.next().unwrap_or_default();
        let rest: Vec<&str> = doc_lines.collect();
        if rest.is_empty() {
            out.push(format!("{body}{Q}{first}{Q}"));
        } else {
            out.push(format!("{body}{Q}{first}"));
            for r in rest {
                out.push(if r.is_empty() {
                    String::new()
                } else {
                    format!("{body}{r}")
                });
            }
            out.push(format!("{body}{Q}"));
        }
    }
    Ok(out.join("\n") + "\n")
}

/// The facade's documentation of each public function and method: `name` or `Type::name`.
fn facade_docs() -> Result<BTreeMap<String, String>, String> {
    let mut docs: BTreeMap<String, String> = BTreeMap::new();
    for file in [
        "lib",
        "ledger",
        "billing",
        "interactions",
        "forecasting",
        "frame",
    ] {
        let path = root().join("api/src").join(format!("{file}.rs"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}.rs: {e}"))?;
        let ast = syn::parse_file(&text).map_err(|e| format!("{file}.rs: {e}"))?;
        for item in ast.items {
            match item {
                syn::Item::Fn(f) if is_pub(&f.vis) => {
                    if let Some(d) = doc_text(&f.attrs) {
                        docs.insert(f.sig.ident.to_string(), d);
                    }
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let syn::Type::Path(ty) = &*i.self_ty else {
                        continue;
                    };
                    let Some(owner) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
                        continue;
                    };
                    for m in i.items {
                        if let syn::ImplItem::Fn(f) = m
                            && is_pub(&f.vis)
                            && let Some(d) = doc_text(&f.attrs)
                        {
                            docs.insert(format!("{owner}::{}", f.sig.ident), d);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(docs)
}

// ---------------------------------------------------------------------------------------------

/// Rust source as `cargo fmt` leaves it, so that formatting the workspace is no drift.
fn rustfmt(text: String) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return text;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait_with_output() {
        Ok(out) if out.status.success() => String::from_utf8(out.stdout).unwrap_or(text),
        _ => text,
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `rel` with its package version set to the workspace's (one version for every package, set
/// in the root `Cargo.toml`): a manifest's first `"version"`; in a pom, the `<version>` after
/// `<artifactId>apotheca</artifactId>` (the jar's own, or the example's dependency on it).
fn versioned(rel: &str) -> String {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_default();
    let (anchor, open, close) = if rel.ends_with(".json") {
        ("", "\"version\": \"", "\"")
    } else {
        (
            "<artifactId>apotheca</artifactId>",
            "<version>",
            "</version>",
        )
    };
    let Some(start) = text
        .find(anchor)
        .and_then(|a| text[a..].find(open).map(|o| a + o + open.len()))
    else {
        return text;
    };
    let Some(len) = text[start..].find(close) else {
        return text;
    };
    format!(
        "{}{}{}",
        &text[..start],
        env!("CARGO_PKG_VERSION"),
        &text[start + len..]
    )
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let roots = roots();
    let defs = definitions(&roots);
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/apotheca/apotheca.schema.json",
        "title": "apotheca",
        "description": "Every type apotheca's facade takes or returns (snake_case keys, as in \
                        Rust and Python; JavaScript spells the same keys in camelCase).",
        "$defs": defs,
    });
    let read = python_docs().and_then(|d| Ok((d, python_stub(&facade_docs()?)?)));
    let (docs, stub) = match read {
        Ok(d) => d,
        Err(e) => {
            eprintln!("typegen: cannot read the facade or the stub: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut files = vec![
        ("bindings-python/src/docs.rs", rustfmt(docs)),
        ("bindings-python/python/apotheca/_native.pyi", stub),
        (
            "schema/apotheca.schema.json",
            serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n",
        ),
        ("bindings-node/types.d.ts", typescript(&defs)),
        ("bindings-python/python/apotheca/types.py", python(&defs)),
        ("bindings-python/python/apotheca/_codes.py", python_codes()),
        ("api/src/shapes.rs", rustfmt(rust_shapes(&defs, &roots))),
        ("conformance/error-codes.json", error_codes_json()),
    ];
    // The packages built outside Cargo carry the workspace version.
    files.extend(
        [
            "bindings-node/package.json",
            "bindings-wasm/package.template.json",
            "bindings-mobile/pom.xml",
            "examples/kotlin-jvm/pom.xml",
        ]
        .map(|rel| (rel, versioned(rel))),
    );
    let mut stale = Vec::new();
    for (rel, text) in &files {
        let path = root().join(rel);
        let now = std::fs::read_to_string(&path).unwrap_or_default();
        if now == *text {
            continue;
        }
        if check {
            stale.push(*rel);
        } else if let Err(e) = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text))
        {
            eprintln!("typegen: cannot write {rel}: {e}");
            return ExitCode::FAILURE;
        } else {
            println!("typegen: wrote {rel}");
        }
    }
    if stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        for rel in stale {
            eprintln!("typegen: {rel} differs from the Rust sources: run `cargo xtask gen`");
        }
        ExitCode::FAILURE
    }
}
