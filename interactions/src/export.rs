//! Exports for ML pipelines: the rules as an edge list with severity weights, a drug × drug
//! adjacency matrix (ndarray) with class rules expanded to their member drugs, class
//! memberships, and neighbourhood link-prediction scores for pairs with no known rule.

use std::collections::HashSet;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::error::{InteractionError, Result};
use crate::graph::InteractionGraph;
use crate::model::{Severity, TargetKind};

/// The weight of a severity in exports: contraindicated 4, major 3, moderate 2, unknown 1.5,
/// minor 1 (in the severity order: an ungraded interaction weighs more than a minor one).
pub fn severity_weight(s: Severity) -> f32 {
    match s {
        Severity::Contraindicated => 4.0,
        Severity::Major => 3.0,
        Severity::Moderate => 2.0,
        Severity::Minor => 1.0,
        Severity::Unknown => 1.5,
    }
}

/// One rule as an edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EdgeRow {
    /// Rule id.
    pub rule: String,
    /// Kind of side a.
    pub a_kind: TargetKind,
    /// Drug id or class code.
    pub a: String,
    /// Kind of side b.
    pub b_kind: TargetKind,
    /// Drug id or class code.
    pub b: String,
    /// Severity.
    pub severity: Severity,
    /// `severity_weight(severity)`.
    pub weight: f32,
}

/// A drug's membership of a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// Drug id.
    pub drug: String,
    /// Class code.
    pub class: String,
    /// Class level (top = 1).
    pub level: i64,
    /// Listed on the drug (true) or an ancestor of a listed class (false).
    pub direct: bool,
}

/// A drug × drug matrix of severity weights; row and column `i` are `drugs[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjacency {
    /// Drug ids, in matrix order.
    pub drugs: Vec<String>,
    /// Symmetric, zero diagonal; the most severe rule that applies to the pair.
    pub weights: Array2<f32>,
}

/// A pair with no known rule, scored by its neighbourhood in the interaction graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkScore {
    /// Drug id.
    pub a: String,
    /// Drug id.
    pub b: String,
    /// Drugs both interact with.
    pub common_neighbours: i64,
    /// Common / union of neighbours.
    pub jaccard: f64,
    /// Σ 1 / ln(degree) over the common neighbours.
    pub adamic_adar: f64,
}

impl InteractionGraph {
    /// Every rule as an edge, in load order.
    pub fn edge_list(&self) -> Vec<EdgeRow> {
        self.rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (a, b) = (self.target(r.a), self.target(r.b));
                EdgeRow {
                    rule: self.rule_ids.get(i as u32).to_string(),
                    a_kind: a.kind,
                    a: a.id,
                    b_kind: b.kind,
                    b: b.id,
                    severity: r.severity,
                    weight: severity_weight(r.severity),
                }
            })
            .collect()
    }

    /// Class memberships of every single-ingredient drug, ancestors included.
    pub fn memberships(&self) -> Vec<Membership> {
        let n = self.kb.drugs.len() as u32;
        let mut out = Vec::new();
        for (d, keys) in self.keys.iter().enumerate() {
            let drug = &self.kb.drugs[d];
            for k in keys.iter().filter(|k| k.key >= n) {
                let c = &self.kb.classes[(k.key - n) as usize];
                out.push(Membership {
                    drug: drug.id.clone(),
                    class: c.code.clone(),
                    level: i64::from(k.specificity),
                    direct: drug.classes.contains(&c.code),
                });
            }
        }
        out
    }

    /// Drugs under each rule side: the drug itself, or every single-ingredient drug in the class.
    fn members(&self) -> (Vec<Vec<u32>>, Vec<bool>) {
        let n = self.kb.drugs.len() as u32;
        let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); self.kb.classes.len()];
        for (d, keys) in self.keys.iter().enumerate() {
            for k in keys.iter().filter(|k| k.key >= n) {
                by_class[(k.key - n) as usize].push(d as u32);
            }
        }
        let single: Vec<bool> = self
            .kb
            .drugs
            .iter()
            .map(|d| d.ingredients.is_empty())
            .collect();
        (by_class, single)
    }

    /// Every drug pair a rule applies to (class sides expanded), with the most severe weight.
    fn drug_pairs(&self) -> Vec<((u32, u32), f32)> {
        let (by_class, single) = self.members();
        let n = self.kb.drugs.len() as u32;
        // A rule side's key: a drug itself, or the drugs of a class.
        let side = |key: u32| -> Vec<u32> {
            match key.checked_sub(n) {
                None => vec![key],
                Some(c) => by_class[c as usize].clone(),
            }
        };
        let mut best: crate::graph::KeyMap<(u32, u32), f32> = Default::default();
        for r in &self.rules {
            let w = severity_weight(r.severity);
            for &a in &side(r.a) {
                for &b in &side(r.b) {
                    if a == b || !single[a as usize] || !single[b as usize] {
                        continue;
                    }
                    let e = best.entry((a.min(b), a.max(b))).or_insert(0.0);
                    *e = e.max(w);
                }
            }
        }
        let mut pairs: Vec<_> = best.into_iter().collect();
        pairs.sort_by_key(|(k, _)| *k);
        pairs
    }

    /// The drug × drug adjacency matrix (single-ingredient drugs only). Dense: n² floats.
    pub fn adjacency(&self) -> Result<Adjacency> {
        let ids: Vec<u32> = (0..self.kb.drugs.len() as u32)
            .filter(|&d| self.kb.drugs[d as usize].ingredients.is_empty())
            .collect();
        if ids.len() > 20_000 {
            return Err(InteractionError::InvalidInput(format!(
                "{} drugs: a dense adjacency matrix is limited to 20,000 (use edge_list)",
                ids.len()
            )));
        }
        let mut pos = vec![usize::MAX; self.kb.drugs.len()];
        for (i, &d) in ids.iter().enumerate() {
            pos[d as usize] = i;
        }
        let mut m = Array2::<f32>::zeros((ids.len(), ids.len()));
        for ((a, b), w) in self.drug_pairs() {
            let (i, j) = (pos[a as usize], pos[b as usize]);
            m[[i, j]] = w;
            m[[j, i]] = w;
        }
        Ok(Adjacency {
            drugs: ids.iter().map(|&d| self.drug_id(d).to_string()).collect(),
            weights: m,
        })
    }

    /// Link-prediction scores for drug pairs with no rule but at least one common neighbour in
    /// the (class-expanded) interaction graph, best Adamic–Adar first; only pairs with `drug`
    /// when one is given.
    pub fn predict_links(&self, drug: Option<&str>, limit: usize) -> Result<Vec<LinkScore>> {
        let only = match drug {
            Some(t) => Some(match self.lookup_all(t).as_slice() {
                [] => return Err(InteractionError::UnknownDrug(t.to_string())),
                [d] => *d,
                many => {
                    let ids: Vec<&str> = many.iter().map(|&d| self.drug_id(d)).collect();
                    return Err(InteractionError::InvalidInput(format!(
                        "{t:?} names {} drugs ({}): give the drug id",
                        many.len(),
                        ids.join(", ")
                    )));
                }
            }),
            None => None,
        };
        let n = self.kb.drugs.len();
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        for ((a, b), _) in self.drug_pairs() {
            adj[a as usize].push(b);
            adj[b as usize].push(a);
        }
        let linked: HashSet<(u32, u32)> = adj
            .iter()
            .enumerate()
            .flat_map(|(a, bs)| bs.iter().map(move |&b| (a as u32, b)))
            .collect();
        let mut scores: crate::graph::KeyMap<(u32, u32), (i64, f64)> = Default::default();
        for ns in &adj {
            if ns.len() < 2 {
                continue;
            }
            let aa = 1.0 / (ns.len() as f64).ln();
            for (i, &u) in ns.iter().enumerate() {
                for &v in &ns[i + 1..] {
                    let key = (u.min(v), u.max(v));
                    if linked.contains(&key) || only.is_some_and(|o| o != key.0 && o != key.1) {
                        continue;
                    }
                    let e = scores.entry(key).or_insert((0, 0.0));
                    e.0 += 1;
                    e.1 += aa;
                }
            }
        }
        let mut out: Vec<LinkScore> = scores
            .into_iter()
            .map(|((a, b), (common, aa))| {
                let union: HashSet<u32> = adj[a as usize]
                    .iter()
                    .chain(&adj[b as usize])
                    .copied()
                    .collect();
                LinkScore {
                    a: self.drug_id(a).to_string(),
                    b: self.drug_id(b).to_string(),
                    common_neighbours: common,
                    jaccard: common as f64 / union.len().max(1) as f64,
                    adamic_adar: aa,
                }
            })
            .collect();
        out.sort_by(|x, y| {
            y.adamic_adar
                .total_cmp(&x.adamic_adar)
                .then(y.common_neighbours.cmp(&x.common_neighbours))
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        out.truncate(limit);
        Ok(out)
    }
}
