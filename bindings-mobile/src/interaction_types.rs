//! The interaction types as UniFFI records and enums, mirroring `apotheca-interactions` (and the
//! facade's `KnowledgeSources` / `AdjacencyRows`) field for field.

use apotheca::interactions::{
    AdjacencyRows, Alert, AlertKind, Candidate, CheckRequest, Drug, DrugClass, EdgeRow,
    KnowledgeBase, KnowledgeSources, LinkScore, LoadReport, MatchKind, Membership, PatientContext,
    Resolution, ResolvedEntry, RiskGroup, RiskWeight, Rule, ScreenRequest, Screening, Severity,
    Stats, Target, TargetKind,
};

#[uniffi::remote(Enum)]
pub enum Severity {
    Minor,
    Unknown,
    Moderate,
    Major,
    Contraindicated,
}

#[uniffi::remote(Record)]
pub struct RiskWeight {
    pub group: String,
    pub weight: i64,
}

#[uniffi::remote(Record)]
pub struct Drug {
    pub id: String,
    pub name: String,
    #[uniffi(default)]
    pub synonyms: Vec<String>,
    #[uniffi(default)]
    pub brands: Vec<String>,
    #[uniffi(default)]
    pub atc: Option<String>,
    #[uniffi(default)]
    pub rxnorm: Option<String>,
    #[uniffi(default)]
    pub classes: Vec<String>,
    #[uniffi(default)]
    pub ingredients: Vec<String>,
    #[uniffi(default)]
    pub risks: Vec<RiskWeight>,
}

#[uniffi::remote(Record)]
pub struct DrugClass {
    pub code: String,
    pub name: String,
    #[uniffi(default)]
    pub parent: Option<String>,
}

#[uniffi::remote(Enum)]
pub enum TargetKind {
    Drug,
    Class,
}

#[uniffi::remote(Record)]
pub struct Target {
    pub kind: TargetKind,
    pub id: String,
}

#[uniffi::remote(Record)]
pub struct Rule {
    #[uniffi(default)]
    pub id: String,
    pub a: Target,
    pub b: Target,
    pub severity: Severity,
    #[uniffi(default)]
    pub mechanism: Option<String>,
    #[uniffi(default)]
    pub effect: Option<String>,
    #[uniffi(default)]
    pub management: Option<String>,
    #[uniffi(default)]
    pub evidence: Option<String>,
    #[uniffi(default)]
    pub source: Option<String>,
}

#[uniffi::remote(Record)]
pub struct RiskGroup {
    pub name: String,
    pub label: String,
    pub moderate: i64,
    pub major: i64,
}

#[uniffi::remote(Record)]
pub struct KnowledgeBase {
    #[uniffi(default)]
    pub source: Option<String>,
    #[uniffi(default)]
    pub classes: Vec<DrugClass>,
    #[uniffi(default)]
    pub drugs: Vec<Drug>,
    #[uniffi(default)]
    pub rules: Vec<Rule>,
    #[uniffi(default)]
    pub risk_groups: Vec<RiskGroup>,
}

#[uniffi::remote(Record)]
pub struct PatientContext {
    #[uniffi(default)]
    pub allergies: Vec<String>,
    #[uniffi(default)]
    pub duplicate_class_level: Option<i64>,
    #[uniffi(default)]
    pub allergy_class_level: Option<i64>,
    #[uniffi(default)]
    pub duplicate_exclusions: Option<Vec<String>>,
}

#[uniffi::remote(Record)]
pub struct ScreenRequest {
    pub medications: Vec<String>,
    #[uniffi(default)]
    pub context: PatientContext,
    #[uniffi(default)]
    pub lean: bool,
}

#[uniffi::remote(Record)]
pub struct CheckRequest {
    pub drug: String,
    pub current: Vec<String>,
    #[uniffi(default)]
    pub context: PatientContext,
    #[uniffi(default)]
    pub lean: bool,
}

#[uniffi::remote(Enum)]
pub enum AlertKind {
    Interaction,
    DuplicateDrug,
    DuplicateTherapy,
    Allergy,
    AdditiveRisk,
}

#[uniffi::remote(Record)]
pub struct Alert {
    pub kind: AlertKind,
    pub severity: Severity,
    pub drugs: Vec<String>,
    pub entries: Vec<String>,
    pub rule: Option<String>,
    pub mechanism: Option<String>,
    pub effect: Option<String>,
    pub management: Option<String>,
    pub evidence: Option<String>,
    pub source: Option<String>,
    pub path: Vec<String>,
    pub message: String,
}

#[uniffi::remote(Record)]
pub struct ResolvedEntry {
    pub entry: String,
    pub drug: String,
    pub name: String,
    pub ingredients: Vec<String>,
    pub ambiguous: bool,
}

#[uniffi::remote(Record)]
pub struct Screening {
    pub alerts: Vec<Alert>,
    pub resolved: Vec<ResolvedEntry>,
    pub unknown: Vec<String>,
    #[uniffi(default)]
    pub suggestions: Vec<Resolution>,
}

#[uniffi::remote(Enum)]
pub enum MatchKind {
    Id,
    Name,
    Synonym,
    Brand,
    Fuzzy,
}

#[uniffi::remote(Record)]
pub struct Candidate {
    pub drug: String,
    pub name: String,
    pub matched: String,
    pub how: MatchKind,
    pub score: f64,
}

#[uniffi::remote(Record)]
pub struct Resolution {
    pub query: String,
    pub candidates: Vec<Candidate>,
}

#[uniffi::remote(Record)]
pub struct EdgeRow {
    pub rule: String,
    pub a_kind: TargetKind,
    pub a: String,
    pub b_kind: TargetKind,
    pub b: String,
    pub severity: Severity,
    pub weight: f32,
}

#[uniffi::remote(Record)]
pub struct Membership {
    pub drug: String,
    pub class: String,
    pub level: i64,
    pub direct: bool,
}

#[uniffi::remote(Record)]
pub struct LinkScore {
    pub a: String,
    pub b: String,
    pub common_neighbours: i64,
    pub jaccard: f64,
    pub adamic_adar: f64,
}

#[uniffi::remote(Record)]
pub struct Stats {
    pub drugs: i64,
    pub classes: i64,
    pub rules: i64,
    pub combinations: i64,
    pub risk_groups: i64,
    pub nodes: i64,
    pub edges: i64,
}

#[uniffi::remote(Record)]
pub struct LoadReport {
    pub rows: i64,
    pub rules_added: i64,
    pub duplicates_merged: i64,
    pub drugs_added: i64,
    pub classes_added: i64,
    #[uniffi(default)]
    pub memberships_added: i64,
}

#[uniffi::remote(Record)]
pub struct KnowledgeSources {
    #[uniffi(default)]
    pub json: Option<String>,
    #[uniffi(default)]
    pub atc_csv: Vec<String>,
    #[uniffi(default)]
    pub ddinter_csv: Vec<String>,
    #[uniffi(default)]
    pub atc_members_csv: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct AdjacencyRows {
    pub drugs: Vec<String>,
    pub weights: Vec<Vec<f32>>,
}
