//! The knowledge base as data: drugs (with synonyms, brands, codes, classes, ingredients of
//! combination products, additive-risk weights), classes in a hierarchy, interaction rules and
//! additive-risk groups. This is the JSON format (schema in the crate README).

use serde::{Deserialize, Serialize};

/// Severity of an alert, ordered: contraindicated > major > moderate > unknown > minor.
///
/// `unknown` is DDInter's "Unknown": the pair interacts, its severity is not graded. It ranks
/// above minor (a screen lists it before minor alerts, and a "minor or worse" filter keeps it)
/// and below moderate: an ungraded interaction is never dropped as the least serious.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Minor.
    Minor,
    /// Listed as interacting, level not graded (DDInter's "Unknown"): above minor.
    #[default]
    Unknown,
    /// Moderate.
    Moderate,
    /// Major.
    Major,
    /// Contraindicated: do not combine.
    Contraindicated,
}

impl Severity {
    /// The level as written in JSON: `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Contraindicated => "contraindicated",
            Severity::Major => "major",
            Severity::Moderate => "moderate",
            Severity::Minor => "minor",
            Severity::Unknown => "unknown",
        }
    }

    /// Reads a level as written in data sets (`Major`, `moderate`, `X`, ...). An empty level is
    /// none: a row that says nothing is an error, never "unknown".
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "contraindicated" | "x" => Severity::Contraindicated,
            "major" | "severe" | "high" | "d" => Severity::Major,
            "moderate" | "c" => Severity::Moderate,
            "minor" | "low" | "b" | "a" => Severity::Minor,
            "unknown" => Severity::Unknown,
            _ => return None,
        })
    }
}

/// A drug's weight in an additive-risk group (QT prolongation, serotonergic load, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskWeight {
    /// Group name, one of the knowledge base's `risk_groups`.
    pub group: String,
    /// Weight, e.g. 1 (possible) to 3 (known risk).
    pub weight: i64,
}

/// A drug (an active ingredient) or a combination product (with `ingredients`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Drug {
    /// Stable id, e.g. `warfarin` or an RxNorm / DDInter id.
    pub id: String,
    /// Preferred name.
    pub name: String,
    /// Other names (INN variants, spellings: `acetaminophen` for paracetamol).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Brand names.
    #[serde(default)]
    pub brands: Vec<String>,
    /// ATC code, where known.
    #[serde(default)]
    pub atc: Option<String>,
    /// RxNorm CUI, where known.
    #[serde(default)]
    pub rxnorm: Option<String>,
    /// Codes of the classes the drug belongs to.
    #[serde(default)]
    pub classes: Vec<String>,
    /// For a combination product: the ids of its ingredients.
    #[serde(default)]
    pub ingredients: Vec<String>,
    /// Weights in additive-risk groups.
    #[serde(default)]
    pub risks: Vec<RiskWeight>,
}

/// A class in the hierarchy (ATC-style: `M01A` under `M01` under `M`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DrugClass {
    /// Code, e.g. `M01A`.
    pub code: String,
    /// Name, e.g. `Anti-inflammatory and antirheumatic products, non-steroids`.
    pub name: String,
    /// Parent class code; `None` for a top-level class.
    #[serde(default)]
    pub parent: Option<String>,
}

/// Whether a rule's side names a drug or a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A drug id.
    Drug,
    /// A class code.
    Class,
}

/// One side of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Drug or class.
    pub kind: TargetKind,
    /// Drug id or class code.
    pub id: String,
}

/// An interaction rule between two drugs, a drug and a class, or two classes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Rule id (given, or `R<n>` in load order).
    #[serde(default)]
    pub id: String,
    /// One side.
    pub a: Target,
    /// The other side (the rule is symmetric).
    pub b: Target,
    /// Severity.
    #[serde(default)]
    pub severity: Severity,
    /// Mechanism (`CYP3A4 inhibition`).
    #[serde(default)]
    pub mechanism: Option<String>,
    /// Clinical effect.
    #[serde(default)]
    pub effect: Option<String>,
    /// Management advice.
    #[serde(default)]
    pub management: Option<String>,
    /// Evidence level (`established`, `probable`, `theoretical`).
    #[serde(default)]
    pub evidence: Option<String>,
    /// Source of the rule.
    #[serde(default)]
    pub source: Option<String>,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            kind: TargetKind::Drug,
            id: String::new(),
        }
    }
}

/// An additive-risk group and its thresholds on the summed weights of a medication list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskGroup {
    /// Name drugs refer to (`qt_prolongation`).
    pub name: String,
    /// Text for alerts (`QT prolongation`).
    pub label: String,
    /// Summed weight that raises a moderate alert.
    pub moderate: i64,
    /// Summed weight that raises a major alert.
    pub major: i64,
}

/// A knowledge base as loaded: the JSON format of this crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KnowledgeBase {
    /// What the data is and where it comes from.
    #[serde(default)]
    pub source: Option<String>,
    /// Classes.
    #[serde(default)]
    pub classes: Vec<DrugClass>,
    /// Drugs and combination products.
    #[serde(default)]
    pub drugs: Vec<Drug>,
    /// Interaction rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Additive-risk groups.
    #[serde(default)]
    pub risk_groups: Vec<RiskGroup>,
}
