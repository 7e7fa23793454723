//! `Interactions`: each method converts its arguments, calls the facade, converts the result.
//! No rule lives here.

use apotheca::Interactions;
use wasm_bindgen::prelude::*;

use crate::conv::{arg, js_error, opt, out, param};

/// Screens medication lists against one knowledge base, in this page's memory.
#[wasm_bindgen(js_name = Interactions)]
pub struct WasmInteractions(Interactions);

#[wasm_bindgen(js_class = Interactions)]
impl WasmInteractions {
    /// An engine over a knowledge base given as a value (validated when built).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "KnowledgeBase")] knowledge_base: JsValue,
    ) -> Result<WasmInteractions, JsValue> {
        arg(knowledge_base)
            .and_then(Interactions::new)
            .map(WasmInteractions)
            .map_err(js_error)
    }

    /// The built-in sample knowledge base (well-known facts; not clinical advice).
    pub fn sample() -> Result<WasmInteractions, JsValue> {
        Interactions::sample()
            .map(WasmInteractions)
            .map_err(js_error)
    }

    /// A knowledge base in the JSON format (snake_case keys, as in the file).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<WasmInteractions, JsValue> {
        param::<String>("text", text)
            .and_then(|t| Interactions::from_json(&t))
            .map(WasmInteractions)
            .map_err(js_error)
    }

    /// JSON, then ATC class tables, then DDInter-style pair lists (CSV text), merged.
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "KnowledgeSources")] sources: JsValue,
    ) -> Result<WasmInteractions, JsValue> {
        arg(sources)
            .and_then(|s| Interactions::load(&s))
            .map(WasmInteractions)
            .map_err(js_error)
    }

    #[wasm_bindgen(js_name = knowledgeBase, unchecked_return_type = "KnowledgeBase")]
    pub fn knowledge_base(&self) -> Result<JsValue, JsValue> {
        out(Ok(self.0.knowledge_base()))
    }

    #[wasm_bindgen(js_name = loadReports, unchecked_return_type = "LoadReport[]")]
    pub fn load_reports(&self) -> Result<JsValue, JsValue> {
        out(Ok(self.0.load_reports()))
    }

    #[wasm_bindgen(unchecked_return_type = "InteractionStats")]
    pub fn stats(&self) -> Result<JsValue, JsValue> {
        out(Ok(self.0.stats()))
    }

    /// Screens a medication list.
    #[wasm_bindgen(unchecked_return_type = "Screening")]
    pub fn screen(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScreenRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(request).and_then(|r| self.0.screen(&r)))
    }

    /// Screens many lists in one call (at most 100,000), one screening per list in order.
    #[wasm_bindgen(js_name = screenMany, unchecked_return_type = "Screening[]")]
    pub fn screen_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScreenRequest[]")] requests: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg::<Vec<apotheca::interactions::ScreenRequest>>(requests)
            .and_then(|r| self.0.screen_many(&r)))
    }

    /// A rule's full text by its id (what a lean screen leaves out); `null` for no such rule.
    #[wasm_bindgen(unchecked_return_type = "Rule | null")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] rule: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(param::<String>("rule", rule).and_then(|r| self.0.explain(&r)))
    }

    /// One new drug against the current list: only the alerts it takes part in.
    #[wasm_bindgen(js_name = checkNew, unchecked_return_type = "Screening")]
    pub fn check_new(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CheckRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(request).and_then(|r| self.0.check_new(&r)))
    }

    /// Ranked candidates for free text (exact, else near spellings scoring ≥ 0.7).
    #[wasm_bindgen(unchecked_return_type = "Resolution")]
    pub fn resolve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(param::<String>("text", text)
            .and_then(|t| self.0.resolve(&t, opt("limit", limit)?.unwrap_or(5))))
    }

    #[wasm_bindgen(js_name = edgeList, unchecked_return_type = "EdgeRow[]")]
    pub fn edge_list(&self) -> Result<JsValue, JsValue> {
        out(self.0.edge_list())
    }

    /// The drug × drug matrix of severity weights (dense: n² numbers).
    #[wasm_bindgen(unchecked_return_type = "AdjacencyRows")]
    pub fn adjacency(&self) -> Result<JsValue, JsValue> {
        out(self.0.adjacency())
    }

    #[wasm_bindgen(unchecked_return_type = "Membership[]")]
    pub fn memberships(&self) -> Result<JsValue, JsValue> {
        out(self.0.memberships())
    }

    /// Pairs with no known rule, best Adamic–Adar first (with `drug` only, if given).
    #[wasm_bindgen(js_name = predictLinks, unchecked_return_type = "LinkScore[]")]
    pub fn predict_links(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] drug: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(opt::<String>("drug", drug).and_then(|d| {
            self.0
                .predict_links(d.as_deref(), opt("limit", limit)?.unwrap_or(20))
        }))
    }
}
