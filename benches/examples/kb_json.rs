//! Writes the generated benchmark knowledge base (`apotheca_benches::knowledge_base`, the one the
//! criterion interaction benches use) as JSON, for the Python peer script
//! `benches/peers/screen_ratio.py`.
//!
//! `cargo run --release -p apotheca-benches --example kb_json -- <out.json> [drugs] [rules]`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("output path");
    let drugs = args.next().map_or(2_000, |a| a.parse().unwrap());
    let rules = args.next().map_or(250_000, |a| a.parse().unwrap());
    let kb = apotheca_benches::knowledge_base(drugs, rules);
    std::fs::write(&out, serde_json::to_string(&kb).unwrap()).unwrap();
}
