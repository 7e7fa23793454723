#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod csv;
pub mod error;
pub mod export;
pub mod graph;
pub mod model;
pub mod names;
pub mod screen;

pub use csv::LoadReport;
pub use error::{InteractionError, Result};
pub use export::{Adjacency, EdgeRow, LinkScore, Membership, severity_weight};
pub use graph::{Edge, InteractionGraph, Node, Stats};
pub use model::{
    Drug, DrugClass, KnowledgeBase, RiskGroup, RiskWeight, Rule, Severity, Target, TargetKind,
};
pub use screen::{
    Alert, AlertKind, Candidate, CheckRequest, DEFAULT_DUPLICATE_EXCLUSIONS, MatchKind,
    PatientContext, Resolution, ResolvedEntry, ScreenRequest, Screening,
};

/// The built-in sample knowledge base: well-known, public interaction facts, for the demo and
/// the examples. **Sample data, not clinical advice.**
pub const SAMPLE_JSON: &str = include_str!("../data/sample-kb.json");

/// The sample knowledge base, compiled.
pub fn sample() -> Result<InteractionGraph> {
    InteractionGraph::from_json(SAMPLE_JSON)
}
