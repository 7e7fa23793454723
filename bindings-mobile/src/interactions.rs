//! `Interactions`: a UniFFI object over one knowledge base; each method is one call to the
//! facade.

use std::sync::Arc;

use apotheca::interactions::{
    AdjacencyRows, CheckRequest, EdgeRow, KnowledgeBase, KnowledgeSources, LinkScore, LoadReport,
    Membership, Resolution, Rule, ScreenRequest, Screening, Stats,
};

use crate::error::ApothecaError;

type R<T> = Result<T, ApothecaError>;

/// Screens medication lists against one knowledge base. Immutable: share one instance.
#[derive(uniffi::Object)]
pub struct Interactions(apotheca::Interactions);

#[uniffi::export]
impl Interactions {
    /// An engine over a knowledge base given as a value (validated when built).
    #[uniffi::constructor]
    pub fn new(knowledge_base: KnowledgeBase) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Interactions::new(knowledge_base)?)))
    }

    /// The built-in sample knowledge base (well-known facts; not clinical advice).
    #[uniffi::constructor]
    pub fn sample() -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Interactions::sample()?)))
    }

    /// A knowledge base in the JSON format.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Interactions::from_json(&text)?)))
    }

    /// JSON, then ATC class tables, then DDInter-style pair lists (CSV text), merged.
    #[uniffi::constructor]
    pub fn load(sources: KnowledgeSources) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Interactions::load(&sources)?)))
    }

    pub fn knowledge_base(&self) -> KnowledgeBase {
        self.0.knowledge_base()
    }

    pub fn load_reports(&self) -> Vec<LoadReport> {
        self.0.load_reports()
    }

    pub fn stats(&self) -> Stats {
        self.0.stats()
    }

    /// Screens a medication list.
    pub fn screen(&self, request: ScreenRequest) -> R<Screening> {
        Ok(self.0.screen(&request)?)
    }

    /// Screens many lists in one call (at most 100,000), one screening per list in order.
    pub fn screen_many(&self, requests: Vec<ScreenRequest>) -> R<Vec<Screening>> {
        Ok(self.0.screen_many(&requests)?)
    }

    /// A rule's full text by its id (what a lean screen leaves out).
    pub fn explain(&self, rule: String) -> R<Option<Rule>> {
        Ok(self.0.explain(&rule)?)
    }

    /// One new drug against the current list: only the alerts it takes part in.
    pub fn check_new(&self, request: CheckRequest) -> R<Screening> {
        Ok(self.0.check_new(&request)?)
    }

    /// Ranked candidates for free text (exact, else near spellings scoring ≥ 0.7).
    pub fn resolve(&self, text: String, limit: u32) -> R<Resolution> {
        Ok(self.0.resolve(&text, limit)?)
    }

    pub fn edge_list(&self) -> R<Vec<EdgeRow>> {
        Ok(self.0.edge_list()?)
    }

    /// The drug × drug matrix of severity weights (dense: n² numbers).
    pub fn adjacency(&self) -> R<AdjacencyRows> {
        Ok(self.0.adjacency()?)
    }

    pub fn memberships(&self) -> R<Vec<Membership>> {
        Ok(self.0.memberships()?)
    }

    /// Pairs with no known rule, best Adamic–Adar first (with `drug` only, if given).
    pub fn predict_links(&self, drug: Option<String>, limit: u32) -> R<Vec<LinkScore>> {
        Ok(self.0.predict_links(drug.as_deref(), limit)?)
    }
}
