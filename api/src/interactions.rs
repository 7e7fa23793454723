//! The interactions facade: an `Interactions` engine over one compiled knowledge base
//! (immutable, shared behind an `Arc`). Every binding's interaction methods are one line over
//! these.

use std::sync::Arc;

use apotheca_interactions as ix;
use serde::{Deserialize, Serialize};

pub use ix::{
    Alert, AlertKind, Candidate, CheckRequest, Drug, DrugClass, EdgeRow, KnowledgeBase, LinkScore,
    LoadReport, MatchKind, Membership, PatientContext, Resolution, ResolvedEntry, RiskGroup,
    RiskWeight, Rule, ScreenRequest, Screening, Severity, Stats, Target, TargetKind,
};

use crate::error::ApiResult;
use crate::guard;

/// Where a knowledge base comes from: our JSON format, then ATC class tables, then
/// DDInter-style pair lists, merged in that order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KnowledgeSources {
    /// A knowledge base in this crate's JSON format (text).
    #[serde(default)]
    pub json: Option<String>,
    /// ATC class tables (`code,name,parent` CSV text).
    #[serde(default)]
    pub atc_csv: Vec<String>,
    /// Interaction pair lists (CSV text): DDInter's download (`DDInterID_A,Drug_A,DDInterID_B,
    /// Drug_B,Level`, with or without the id columns, comma or semicolon) or `drug_a,drug_b,level`.
    #[serde(default)]
    pub ddinter_csv: Vec<String>,
    /// Drug → ATC memberships (`drug,atc` CSV text, any column order), merged last.
    #[serde(default)]
    pub atc_members_csv: Vec<String>,
}

/// The drug × drug adjacency matrix as rows (for JSON-shaped languages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AdjacencyRows {
    /// Drug ids, in row and column order.
    pub drugs: Vec<String>,
    /// `weights[i][j]`: the most severe rule's weight between `drugs[i]` and `drugs[j]`.
    pub weights: Vec<Vec<f32>>,
}

/// Screens medication lists against one knowledge base. Cheap to clone; share one.
#[derive(Debug, Clone)]
pub struct Interactions {
    graph: Arc<ix::InteractionGraph>,
    reports: Arc<Vec<LoadReport>>,
}

impl Interactions {
    /// The built-in sample knowledge base (well-known facts; **not clinical advice**).
    pub fn sample() -> ApiResult<Self> {
        guard(|| Ok(Self::wrap(ix::sample()?)))
    }

    /// A knowledge base in this crate's JSON format.
    pub fn from_json(text: &str) -> ApiResult<Self> {
        guard(|| Ok(Self::wrap(ix::InteractionGraph::from_json(text)?)))
    }

    /// A knowledge base given as a value.
    pub fn new(kb: KnowledgeBase) -> ApiResult<Self> {
        guard(|| Ok(Self::wrap(ix::InteractionGraph::build(kb)?)))
    }

    /// A knowledge base merged from JSON and CSV sources ([`Interactions::load_reports`] says
    /// what each CSV added).
    pub fn load(sources: &KnowledgeSources) -> ApiResult<Self> {
        guard(|| {
            let mut kb: KnowledgeBase = match &sources.json {
                Some(t) => serde_json::from_str(t).map_err(|e| {
                    ix::InteractionError::InvalidKnowledgeBase(format!("JSON: {e}"))
                })?,
                None => KnowledgeBase::default(),
            };
            let mut reports = Vec::new();
            for t in &sources.atc_csv {
                reports.push(kb.merge_atc_csv(t)?);
            }
            for t in &sources.ddinter_csv {
                reports.push(kb.merge_ddinter_csv(t)?);
            }
            for t in &sources.atc_members_csv {
                reports.push(kb.merge_atc_memberships_csv(t)?);
            }
            let mut me = Self::wrap(ix::InteractionGraph::build(kb)?);
            me.reports = Arc::new(reports);
            Ok(me)
        })
    }

    fn wrap(g: ix::InteractionGraph) -> Self {
        Self {
            graph: Arc::new(g),
            reports: Arc::default(),
        }
    }

    /// What each CSV source added, in load order (empty unless built by [`Interactions::load`]).
    pub fn load_reports(&self) -> Vec<LoadReport> {
        self.reports.to_vec()
    }

    /// Sizes of the knowledge base and graph.
    pub fn stats(&self) -> Stats {
        self.graph.stats()
    }

    /// The knowledge base as compiled (rules carry their ids).
    pub fn knowledge_base(&self) -> KnowledgeBase {
        self.graph.knowledge_base()
    }

    /// Screens a medication list.
    pub fn screen(&self, request: &ScreenRequest) -> ApiResult<Screening> {
        guard(|| Ok(self.graph.screen(request)?))
    }

    /// Screens many lists in one call (at most 100,000), one screening per list in order.
    pub fn screen_many(&self, requests: &[ScreenRequest]) -> ApiResult<Vec<Screening>> {
        guard(|| Ok(self.graph.screen_many(requests)?))
    }

    /// A rule's full text by its id (what a lean screen leaves out); `None` for no such rule.
    pub fn explain(&self, rule: &str) -> ApiResult<Option<Rule>> {
        guard(|| Ok(self.graph.explain(rule)))
    }

    /// One new drug against the current list: only the alerts it takes part in.
    pub fn check_new(&self, request: &CheckRequest) -> ApiResult<Screening> {
        guard(|| Ok(self.graph.check_new(request)?))
    }

    /// Ranked candidates for free text (exact, else near spellings).
    pub fn resolve(&self, text: &str, limit: u32) -> ApiResult<Resolution> {
        guard(|| Ok(self.graph.resolve(text, limit as usize)))
    }

    /// Every rule as an edge with its severity weight.
    pub fn edge_list(&self) -> ApiResult<Vec<EdgeRow>> {
        guard(|| Ok(self.graph.edge_list()))
    }

    /// The drug × drug adjacency matrix, as rows.
    pub fn adjacency(&self) -> ApiResult<AdjacencyRows> {
        guard(|| {
            let a = self.graph.adjacency()?;
            Ok(AdjacencyRows {
                drugs: a.drugs,
                weights: a.weights.rows().into_iter().map(|r| r.to_vec()).collect(),
            })
        })
    }

    /// Drug–class memberships, ancestors included.
    pub fn memberships(&self) -> ApiResult<Vec<Membership>> {
        guard(|| Ok(self.graph.memberships()))
    }

    /// Link-prediction scores for pairs with no known rule (with `drug` only, if given).
    pub fn predict_links(&self, drug: Option<&str>, limit: u32) -> ApiResult<Vec<LinkScore>> {
        guard(|| Ok(self.graph.predict_links(drug, limit as usize)?))
    }
}
