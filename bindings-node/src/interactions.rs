//! `Interactions`: each method converts its arguments, calls the facade, converts the result.
//! No rule lives here.

use apotheca::Interactions;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::conv::{Job, arg, call, opt, param};
use crate::error;

/// Screens medication lists against one knowledge base. Immutable: share one.
#[napi(js_name = "Interactions")]
pub struct JsInteractions(Interactions);

fn engine(env: &Env, r: apotheca::ApiResult<Interactions>) -> Result<JsInteractions> {
    r.map(JsInteractions).map_err(|e| error::to_js(env, e))
}

#[napi]
impl JsInteractions {
    /// An engine over a knowledge base given as a value (validated when built).
    #[napi(constructor, ts_args_type = "knowledgeBase: KnowledgeBase")]
    pub fn new(env: &Env, knowledge_base: Unknown<'_>) -> Result<Self> {
        engine(env, arg(env, knowledge_base).and_then(Interactions::new))
    }

    /// The built-in sample knowledge base (well-known facts; not clinical advice).
    #[napi(factory)]
    pub fn sample(env: &Env) -> Result<Self> {
        engine(env, Interactions::sample())
    }

    /// A knowledge base in the JSON format (snake_case keys, as in the file).
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_json(env: &Env, text: Unknown<'_>) -> Result<Self> {
        engine(
            env,
            param::<String>(env, "text", text).and_then(|t| Interactions::from_json(&t)),
        )
    }

    /// JSON, then ATC class tables, then DDInter-style pair lists (CSV text), merged.
    #[napi(factory, ts_args_type = "sources: KnowledgeSources")]
    pub fn load(env: &Env, sources: Unknown<'_>) -> Result<Self> {
        engine(env, arg(env, sources).and_then(|s| Interactions::load(&s)))
    }

    #[napi(ts_return_type = "KnowledgeBase")]
    pub fn knowledge_base<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || Ok(self.0.knowledge_base()))
    }

    #[napi(ts_return_type = "LoadReport[]")]
    pub fn load_reports<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || Ok(self.0.load_reports()))
    }

    #[napi(ts_return_type = "InteractionStats")]
    pub fn stats<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || Ok(self.0.stats()))
    }

    /// Screens a medication list.
    #[napi(ts_args_type = "request: ScreenRequest", ts_return_type = "Screening")]
    pub fn screen<'e>(&self, env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.screen(&arg(env, request)?))
    }

    #[napi(
        ts_args_type = "request: ScreenRequest",
        ts_return_type = "Promise<Screening>"
    )]
    pub fn screen_async(&self, env: &Env, request: Unknown<'_>) -> AsyncTask<Job> {
        let (e, r) = (self.0.clone(), arg(env, request));
        Job::new(move || e.screen(&r?))
    }

    /// Screens many lists in one call (at most 100,000), one screening per list in order.
    #[napi(
        ts_args_type = "requests: ScreenRequest[]",
        ts_return_type = "Screening[]"
    )]
    pub fn screen_many<'e>(&self, env: &'e Env, requests: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || {
            self.0
                .screen_many(&arg::<Vec<apotheca::interactions::ScreenRequest>>(
                    env, requests,
                )?)
        })
    }

    /// A rule's full text by its id (what a lean screen leaves out); `null` for no such rule.
    #[napi(ts_args_type = "rule: string", ts_return_type = "Rule | null")]
    pub fn explain<'e>(&self, env: &'e Env, rule: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.explain(&arg::<String>(env, rule)?))
    }

    /// One new drug against the current list: only the alerts it takes part in.
    #[napi(ts_args_type = "request: CheckRequest", ts_return_type = "Screening")]
    pub fn check_new<'e>(&self, env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.check_new(&arg(env, request)?))
    }

    /// Ranked candidates for free text (exact, else near spellings scoring ≥ 0.7).
    #[napi(
        ts_args_type = "text: string, limit?: number",
        ts_return_type = "Resolution"
    )]
    pub fn resolve<'e>(
        &self,
        env: &'e Env,
        text: Unknown<'_>,
        limit: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.resolve(
                &param::<String>(env, "text", text)?,
                opt(env, "limit", limit)?.unwrap_or(5),
            )
        })
    }

    #[napi(ts_return_type = "EdgeRow[]")]
    pub fn edge_list<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.edge_list())
    }

    /// The drug × drug matrix of severity weights (dense: n² numbers).
    #[napi(ts_return_type = "AdjacencyRows")]
    pub fn adjacency<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.adjacency())
    }

    #[napi(ts_return_type = "Membership[]")]
    pub fn memberships<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.memberships())
    }

    /// Pairs with no known rule, best Adamic–Adar first (with `drug` only, if given).
    #[napi(
        ts_args_type = "drug?: string | null, limit?: number",
        ts_return_type = "LinkScore[]"
    )]
    pub fn predict_links<'e>(
        &self,
        env: &'e Env,
        drug: Option<Unknown<'_>>,
        limit: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            let d: Option<String> = opt(env, "drug", drug)?;
            self.0
                .predict_links(d.as_deref(), opt(env, "limit", limit)?.unwrap_or(20))
        })
    }
}
