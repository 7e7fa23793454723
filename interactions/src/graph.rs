//! The compiled knowledge graph: drugs and classes as `petgraph` nodes, class membership,
//! class hierarchy, combination ingredients and interaction rules as edges; then, for fast
//! screening, each drug's class ancestry (with the path to each ancestor) and every rule in one
//! hash map keyed by its two sides. Immutable and `Send + Sync` once built.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::error::{Result, kb_error};
use crate::model::{KnowledgeBase, RiskGroup, Rule, Severity, Target, TargetKind};
use crate::names::normalize;

/// A node of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// Index into the knowledge base's drugs.
    Drug(u32),
    /// Index into its classes.
    Class(u32),
}

/// An edge of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Drug → class it belongs to.
    MemberOf,
    /// Class → parent class.
    SubclassOf,
    /// Combination product → ingredient.
    Ingredient,
    /// Rule side → other side (index into the rules).
    Interacts(u32),
}

/// How a name matched a drug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NameKind {
    Id,
    Name,
    Synonym,
    Brand,
}

/// A multiply-rotate hasher for the small integer keys of the rule map.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}

pub(crate) type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// Names (ids, normalised names) to what they name, probed once or more for each entry of
/// every screen: hashed with foldhash (randomly seeded per map) rather than SipHash. Only the
/// knowledge base's names are keys, so a caller's text can lengthen no chain.
pub(crate) type NameMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Specificity of a drug side of a rule (a class side counts its level, 1 to 9).
pub(crate) const DRUG_SPECIFICITY: u8 = 20;

/// One key a drug answers to: itself, or one of its classes or their ancestors.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    /// Drug index, or `drugs + class index`.
    pub key: u32,
    /// `DRUG_SPECIFICITY` for the drug, the class level for a class (deeper is higher).
    pub specificity: u8,
    /// Classes from the drug's own class up to this one (empty for the drug itself).
    pub via: Vec<u32>,
}

/// The best rule from one drug's keys to a partner key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Partner {
    pub specificity: u8,
    pub severity: Severity,
    pub rule: u32,
    /// Index into the drug's `keys`.
    pub key: u16,
}

/// One drug's partner table: the best rule to each partner key, found by the key. A hash map
/// per drug kept ~26 bytes an entry (its 12, at hashbrown's load of 0.44-0.875, and control
/// bytes), two entries a rule: most of a large knowledge base's memory. Here a drug that
/// reaches many keys (a dense knowledge base) has a bitmap of the keys with, per 64, the count
/// of entries before them, and its entries in key order: 8 bytes an entry and a quarter of a
/// byte a key; one that reaches few has its entries sorted by key, found by a binary search.
#[derive(Debug, Clone)]
pub(crate) enum PartnerTable {
    Sparse(Box<[(u32, Partner)]>),
    Dense {
        blocks: Box<[KeyBlock]>,
        entries: Box<[Partner]>,
    },
}

/// 64 keys of a dense [`PartnerTable`]: which have an entry, and how many entries come before.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyBlock {
    bits: u64,
    before: u32,
}

impl PartnerTable {
    /// The table of `entries` (one per key).
    pub fn new(mut entries: Vec<(u32, Partner)>) -> Self {
        entries.sort_unstable_by_key(|e| e.0);
        let words = entries.last().map_or(0, |e| e.0 as usize / 64 + 1);
        // Dense where its bitmap costs at most what the entries do.
        if words * std::mem::size_of::<KeyBlock>() > entries.len() * std::mem::size_of::<Partner>()
        {
            return Self::Sparse(entries.into_boxed_slice());
        }
        let mut blocks = vec![KeyBlock { bits: 0, before: 0 }; words];
        for (k, _) in &entries {
            blocks[*k as usize / 64].bits |= 1 << (k % 64);
        }
        let mut before = 0;
        for b in &mut blocks {
            b.before = before;
            before += b.bits.count_ones();
        }
        Self::Dense {
            blocks: blocks.into_boxed_slice(),
            entries: entries.into_iter().map(|e| e.1).collect(),
        }
    }

    /// The entry of `key`.
    pub fn get(&self, key: u32) -> Option<&Partner> {
        match self {
            Self::Sparse(v) => v.binary_search_by_key(&key, |e| e.0).ok().map(|i| &v[i].1),
            Self::Dense { blocks, entries } => {
                let b = blocks.get(key as usize / 64)?;
                let bit = 1u64 << (key % 64);
                if b.bits & bit == 0 {
                    return None;
                }
                entries.get(b.before as usize + (b.bits & (bit - 1)).count_ones() as usize)
            }
        }
    }
}

/// A rule as kept once compiled: its sides as keys and its texts by number, its id in
/// [`RuleIds`]. The owned [`crate::model::Rule`] (nine fields, four or more strings) cost ~340
/// bytes a rule, most of the engine's memory on a large knowledge base; this is 32.
#[derive(Debug, Clone)]
pub(crate) struct StoredRule {
    /// Side keys: a drug index, or `drugs + class index`.
    pub a: u32,
    pub b: u32,
    pub severity: Severity,
    pub text: RuleText,
}

/// Every rule's id, in rule order, in one text: no allocation per rule. A boxed id per rule was
/// 16 bytes in the rule and ~32 on the heap, and 250,000 small allocations left among the
/// parsed knowledge base's freed strings kept most of that heap's pages resident.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleIds {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<u32>,
}

impl RuleIds {
    /// Rule `r`'s id.
    pub fn get(&self, r: u32) -> &str {
        let r = r as usize;
        let end = self.ends.get(r).map_or(0, |e| *e as usize);
        let start = r
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .map_or(0, |e| *e as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    /// The number of the rule with this id (the first, were two to share it).
    pub fn position(&self, id: &str) -> Option<u32> {
        (0..self.ends.len() as u32).find(|&r| self.get(r) == id)
    }
}

/// A stored rule's texts: indices into the graph's `texts`, 0 for none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleText {
    pub mechanism: u32,
    pub effect: u32,
    pub management: u32,
    pub evidence: u32,
    pub source: u32,
}

/// A knowledge base compiled for screening.
#[derive(Debug, Clone)]
pub struct InteractionGraph {
    /// The knowledge base without its rules (kept as `rules`).
    pub(crate) kb: KnowledgeBase,
    pub(crate) rules: Vec<StoredRule>,
    pub(crate) rule_ids: RuleIds,
    /// The distinct rule texts; `texts[0]` stands for none.
    pub(crate) texts: Vec<Box<str>>,
    pub(crate) graph: DiGraph<Node, Edge>,
    pub(crate) drug_ix: NameMap<u32>,
    /// Per drug: the place of its id among all drug ids in byte order (alerts sort by ids).
    pub(crate) drug_rank: Vec<u32>,
    pub(crate) class_ix: HashMap<String, u32>,
    /// Normalised name → (drug, how), for exact resolution.
    pub(crate) exact: NameMap<Vec<(u32, NameKind)>>,
    /// Every (normalised name, drug, how, length in characters), for fuzzy resolution.
    pub(crate) names: Vec<(String, u32, NameKind, usize)>,
    /// Character bigram → the indices in `names` of the names that contain it (each once, in
    /// order): the candidate filter of fuzzy resolution.
    pub(crate) bigrams: HashMap<(char, char), Vec<u32>>,
    /// Per drug: its ingredients (itself for a single-ingredient drug).
    pub(crate) ingredients: Vec<Vec<u32>>,
    /// Per drug: the keys it answers to.
    pub(crate) keys: Vec<Vec<Key>>,
    /// Per class: its level (top = 1).
    pub(crate) class_level: Vec<u8>,
    /// Per drug: every key a rule joins to the drug or one of its classes → the best such
    /// rule on the drug's side (specificity of the drug's key, severity, rule, which key).
    pub(crate) partners: Vec<PartnerTable>,
    /// Per drug: (risk group index, weight).
    pub(crate) risks: Vec<Vec<(u32, i64)>>,
    pub(crate) groups: Vec<RiskGroup>,
}

impl InteractionGraph {
    /// Validates a knowledge base and compiles it. Errors name the field and value:
    /// `rules[3].b: unknown drug "foo"`.
    pub fn build(mut kb: KnowledgeBase) -> Result<Self> {
        // A drug's ATC code places it in that ATC class (a substance code in its chemical
        // subgroup) and so in the class's ancestors, as `classes` does; missing ATC classes are
        // created under their ATC parents, named by their code.
        for i in 0..kb.drugs.len() {
            let Some(atc) = kb.drugs[i].atc.clone() else {
                continue;
            };
            if !crate::csv::is_atc(&atc) {
                return Err(kb_error(format!(
                    "drugs[{i}].atc: {atc:?} is not an ATC code (N, N02, N02B, N02BE or N02BE01)"
                )));
            }
            let class = crate::csv::atc_class_of(&atc).to_string();
            kb.ensure_atc_class(&class);
            if !kb.drugs[i].classes.contains(&class) {
                kb.drugs[i].classes.push(class);
            }
        }
        let mut graph = DiGraph::new();
        let mut class_ix = HashMap::new();
        let mut class_nodes = Vec::with_capacity(kb.classes.len());
        for (i, c) in kb.classes.iter().enumerate() {
            if c.code.trim().is_empty() {
                return Err(kb_error(format!("classes[{i}].code is empty")));
            }
            if class_ix.insert(c.code.clone(), i as u32).is_some() {
                return Err(kb_error(format!(
                    "classes[{i}].code {:?} is listed twice",
                    c.code
                )));
            }
            class_nodes.push(graph.add_node(Node::Class(i as u32)));
        }
        let mut parent = vec![None; kb.classes.len()];
        for (i, c) in kb.classes.iter().enumerate() {
            if let Some(p) = &c.parent {
                let &pi = class_ix
                    .get(p)
                    .ok_or_else(|| kb_error(format!("classes[{i}].parent: unknown class {p:?}")))?;
                parent[i] = Some(pi);
                graph.add_edge(class_nodes[i], class_nodes[pi as usize], Edge::SubclassOf);
            }
        }
        let mut class_up = Vec::with_capacity(kb.classes.len());
        for i in 0..kb.classes.len() {
            let mut up = vec![i as u32];
            let mut at = parent[i];
            while let Some(p) = at {
                if up.len() > kb.classes.len() || up.contains(&p) {
                    return Err(kb_error(format!(
                        "classes[{i}] ({}): the parent chain loops",
                        kb.classes[i].code
                    )));
                }
                up.push(p);
                at = parent[p as usize];
            }
            class_up.push(up);
        }
        let class_level: Vec<u8> = class_up.iter().map(|u| u.len().min(9) as u8).collect();

        let mut drug_ix = NameMap::default();
        let mut drug_nodes = Vec::with_capacity(kb.drugs.len());
        for (i, d) in kb.drugs.iter().enumerate() {
            if d.id.trim().is_empty() || d.name.trim().is_empty() {
                return Err(kb_error(format!(
                    "drugs[{i}]: id and name must not be empty"
                )));
            }
            if drug_ix.insert(d.id.clone(), i as u32).is_some() {
                return Err(kb_error(format!(
                    "drugs[{i}].id {:?} is listed twice",
                    d.id
                )));
            }
            drug_nodes.push(graph.add_node(Node::Drug(i as u32)));
        }
        let group_ix: HashMap<&str, u32> = kb
            .risk_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), i as u32))
            .collect();
        for (i, g) in kb.risk_groups.iter().enumerate() {
            if g.moderate <= 0 || g.major < g.moderate {
                return Err(kb_error(format!(
                    "risk_groups[{i}] ({}): thresholds must be 0 < moderate ≤ major",
                    g.name
                )));
            }
        }
        let n = kb.drugs.len() as u32;
        let mut ingredients = Vec::with_capacity(kb.drugs.len());
        let mut keys = Vec::with_capacity(kb.drugs.len());
        let mut risks = Vec::with_capacity(kb.drugs.len());
        for (i, d) in kb.drugs.iter().enumerate() {
            let mut own = Vec::new();
            for (j, c) in d.classes.iter().enumerate() {
                let &ci = class_ix.get(c).ok_or_else(|| {
                    kb_error(format!("drugs[{i}].classes[{j}]: unknown class {c:?}"))
                })?;
                graph.add_edge(drug_nodes[i], class_nodes[ci as usize], Edge::MemberOf);
                own.push(ci);
            }
            let mut k = vec![Key {
                key: i as u32,
                specificity: DRUG_SPECIFICITY,
                via: Vec::new(),
            }];
            for &ci in &own {
                let up = &class_up[ci as usize];
                for (depth, &c) in up.iter().enumerate() {
                    if k.iter().any(|x| x.key == n + c) {
                        continue;
                    }
                    k.push(Key {
                        key: n + c,
                        specificity: class_level[c as usize],
                        via: up[..=depth].to_vec(),
                    });
                }
            }
            keys.push(k);
            if d.ingredients.is_empty() {
                ingredients.push(vec![i as u32]);
            } else {
                let mut ing = Vec::new();
                for (j, x) in d.ingredients.iter().enumerate() {
                    let &xi = drug_ix.get(x).ok_or_else(|| {
                        kb_error(format!("drugs[{i}].ingredients[{j}]: unknown drug {x:?}"))
                    })?;
                    if !kb.drugs[xi as usize].ingredients.is_empty() || xi as usize == i {
                        return Err(kb_error(format!(
                            "drugs[{i}].ingredients[{j}]: {x:?} must be a single-ingredient drug"
                        )));
                    }
                    graph.add_edge(drug_nodes[i], drug_nodes[xi as usize], Edge::Ingredient);
                    ing.push(xi);
                }
                ing.sort_unstable();
                ing.dedup();
                ingredients.push(ing);
            }
            let mut r = Vec::new();
            for (j, w) in d.risks.iter().enumerate() {
                let &g = group_ix.get(w.group.as_str()).ok_or_else(|| {
                    kb_error(format!(
                        "drugs[{i}].risks[{j}]: unknown risk group {:?}",
                        w.group
                    ))
                })?;
                if w.weight < 0 {
                    return Err(kb_error(format!(
                        "drugs[{i}].risks[{j}]: weight {} is negative",
                        w.weight
                    )));
                }
                r.push((g, w.weight));
            }
            risks.push(r);
        }

        let mut rules: KeyMap<(u32, u32), u32> = KeyMap::default();
        let mut sides: Vec<(u32, u32)> = Vec::with_capacity(kb.rules.len());
        for i in 0..kb.rules.len() {
            if kb.rules[i].id.trim().is_empty() {
                kb.rules[i].id = format!("R{}", i + 1);
            }
            let r = &kb.rules[i];
            let side = |t: &crate::model::Target, f: &str| -> Result<(u32, NodeIndex)> {
                match t.kind {
                    TargetKind::Drug => drug_ix
                        .get(&t.id)
                        .map(|&d| (d, drug_nodes[d as usize]))
                        .ok_or_else(|| {
                            kb_error(format!("rules[{i}].{f}: unknown drug {:?}", t.id))
                        }),
                    TargetKind::Class => class_ix
                        .get(&t.id)
                        .map(|&c| (n + c, class_nodes[c as usize]))
                        .ok_or_else(|| {
                            kb_error(format!("rules[{i}].{f}: unknown class {:?}", t.id))
                        }),
                }
            };
            let (ka, na) = side(&r.a, "a")?;
            let (kb_, nb) = side(&r.b, "b")?;
            if ka == kb_ {
                return Err(kb_error(format!("rules[{i}]: both sides are {:?}", r.a.id)));
            }
            graph.add_edge(na, nb, Edge::Interacts(i as u32));
            sides.push((ka, kb_));
            let key = (ka.min(kb_), ka.max(kb_));
            let sev = r.severity;
            rules
                .entry(key)
                .and_modify(|e| {
                    if sev > kb.rules[*e as usize].severity {
                        *e = i as u32;
                    }
                })
                .or_insert(i as u32);
        }

        // Rules by key, then per drug the best rule to every partner key of any of its keys.
        let mut by_key: Vec<Vec<(u32, u32)>> = vec![Vec::new(); kb.drugs.len() + kb.classes.len()];
        for (&(x, y), &r) in &rules {
            by_key[x as usize].push((y, r));
            by_key[y as usize].push((x, r));
        }
        let partners: Vec<PartnerTable> = keys
            .iter()
            .map(|ks| {
                let mut m: KeyMap<u32, Partner> = KeyMap::default();
                for (ki, k) in ks.iter().enumerate() {
                    for &(p, r) in &by_key[k.key as usize] {
                        let cand = Partner {
                            specificity: k.specificity,
                            severity: kb.rules[r as usize].severity,
                            rule: r,
                            key: ki as u16,
                        };
                        m.entry(p)
                            .and_modify(|e| {
                                if rank(&cand) > rank(e) {
                                    *e = cand;
                                }
                            })
                            .or_insert(cand);
                    }
                }
                PartnerTable::new(m.into_iter().collect())
            })
            .collect();

        let mut exact: NameMap<Vec<(u32, NameKind)>> = NameMap::default();
        let mut names = Vec::new();
        for (i, d) in kb.drugs.iter().enumerate() {
            let all = std::iter::once((&d.id, NameKind::Id))
                .chain(std::iter::once((&d.name, NameKind::Name)))
                .chain(d.synonyms.iter().map(|s| (s, NameKind::Synonym)))
                .chain(d.brands.iter().map(|s| (s, NameKind::Brand)));
            for (name, kind) in all {
                let key = normalize(name);
                if key.is_empty() {
                    continue;
                }
                let e = exact.entry(key.clone()).or_default();
                if !e.iter().any(|(x, _)| *x == i as u32) {
                    e.push((i as u32, kind));
                }
                if kind != NameKind::Id {
                    let len = key.chars().count();
                    names.push((key, i as u32, kind, len));
                }
            }
        }
        let mut bigrams: HashMap<(char, char), Vec<u32>> = HashMap::new();
        for (i, (name, ..)) in names.iter().enumerate() {
            for g in crate::names::bigrams(name) {
                bigrams.entry(g).or_default().push(i as u32);
            }
        }
        let mut by_id: Vec<u32> = (0..kb.drugs.len() as u32).collect();
        by_id.sort_unstable_by(|a, b| kb.drugs[*a as usize].id.cmp(&kb.drugs[*b as usize].id));
        let mut drug_rank = vec![0; by_id.len()];
        for (rank, d) in by_id.into_iter().enumerate() {
            drug_rank[d as usize] = rank as u32;
        }
        let groups = kb.risk_groups.clone();
        let (rules, rule_ids, texts) = store_rules(std::mem::take(&mut kb.rules), &sides)?;
        Ok(Self {
            kb,
            rules,
            rule_ids,
            texts,
            graph,
            drug_ix,
            drug_rank,
            class_ix,
            exact,
            names,
            bigrams,
            ingredients,
            keys,
            class_level,
            partners,
            risks,
            groups,
        })
    }

    /// Parses and compiles a knowledge base in this crate's JSON format.
    pub fn from_json(text: &str) -> Result<Self> {
        let kb: KnowledgeBase =
            serde_json::from_str(text).map_err(|e| kb_error(format!("JSON: {e}")))?;
        Self::build(kb)
    }

    /// The knowledge base as compiled (rules have their ids).
    pub fn knowledge_base(&self) -> KnowledgeBase {
        KnowledgeBase {
            rules: (0..self.rules.len()).map(|r| self.rule(r as u32)).collect(),
            ..self.kb.clone()
        }
    }

    /// Rule `r` as the knowledge base gave it (with its id).
    pub(crate) fn rule(&self, r: u32) -> Rule {
        let s = &self.rules[r as usize];
        Rule {
            id: self.rule_ids.get(r).to_string(),
            a: self.target(s.a),
            b: self.target(s.b),
            severity: s.severity,
            mechanism: self.text(s.text.mechanism).map(str::to_owned),
            effect: self.text(s.text.effect).map(str::to_owned),
            management: self.text(s.text.management).map(str::to_owned),
            evidence: self.text(s.text.evidence).map(str::to_owned),
            source: self.text(s.text.source).map(str::to_owned),
        }
    }

    /// Text `t` of a rule, if it has one.
    pub(crate) fn text(&self, t: u32) -> Option<&str> {
        (t != 0).then(|| &*self.texts[t as usize])
    }

    pub(crate) fn target(&self, key: u32) -> Target {
        let n = self.kb.drugs.len() as u32;
        match key.checked_sub(n) {
            None => Target {
                kind: TargetKind::Drug,
                id: self.kb.drugs[key as usize].id.clone(),
            },
            Some(c) => Target {
                kind: TargetKind::Class,
                id: self.kb.classes[c as usize].code.clone(),
            },
        }
    }

    /// The petgraph graph: drugs and classes, membership, hierarchy, ingredient and rule edges.
    pub fn graph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// Counts, for a health check.
    pub fn stats(&self) -> Stats {
        Stats {
            drugs: self.kb.drugs.len() as i64,
            classes: self.kb.classes.len() as i64,
            rules: self.rules.len() as i64,
            combinations: self
                .kb
                .drugs
                .iter()
                .filter(|d| !d.ingredients.is_empty())
                .count() as i64,
            risk_groups: self.kb.risk_groups.len() as i64,
            nodes: self.graph.node_count() as i64,
            edges: self.graph.edge_count() as i64,
        }
    }

    pub(crate) fn drug_name(&self, d: u32) -> &str {
        &self.kb.drugs[d as usize].name
    }

    pub(crate) fn drug_id(&self, d: u32) -> &str {
        &self.kb.drugs[d as usize].id
    }

    pub(crate) fn class_label(&self, c: u32) -> String {
        let c = &self.kb.classes[c as usize];
        format!("class {} ({})", c.code, c.name)
    }
}

/// Compiled rules (their sides' keys from `sides`) with their ids in one text and their texts
/// interned.
fn store_rules(
    rules: Vec<Rule>,
    sides: &[(u32, u32)],
) -> Result<(Vec<StoredRule>, RuleIds, Vec<Box<str>>)> {
    let mut texts: Vec<Box<str>> = vec!["".into()];
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut intern = |t: Option<String>| -> u32 {
        let Some(t) = t else { return 0 };
        *seen.entry(t).or_insert_with_key(|t| {
            texts.push(t.as_str().into());
            (texts.len() - 1) as u32
        })
    };
    let id_bytes: usize = rules.iter().map(|r| r.id.len()).sum();
    let too_long = || {
        kb_error(format!(
            "the rules' ids hold {id_bytes} bytes; at most 4 GiB"
        ))
    };
    let mut ids = RuleIds {
        text: String::with_capacity(id_bytes),
        ends: Vec::with_capacity(rules.len()),
    };
    // A new vector, not a `collect` from `rules`: that would reuse the rules' own buffer
    // (in-place iteration) and keep all of its ~220 bytes a rule.
    let mut stored = Vec::with_capacity(rules.len());
    for (r, &(a, b)) in rules.into_iter().zip(sides) {
        ids.text.push_str(&r.id);
        ids.ends
            .push(u32::try_from(ids.text.len()).map_err(|_| too_long())?);
        stored.push(StoredRule {
            a,
            b,
            severity: r.severity,
            text: RuleText {
                mechanism: intern(r.mechanism),
                effect: intern(r.effect),
                management: intern(r.management),
                evidence: intern(r.evidence),
                source: intern(r.source),
            },
        });
    }
    Ok((stored, ids, texts))
}

/// The order among rules reaching one partner key: more specific, then more severe, then the
/// earlier rule.
pub(crate) fn rank(p: &Partner) -> (u8, Severity, std::cmp::Reverse<u32>) {
    (p.specificity, p.severity, std::cmp::Reverse(p.rule))
}

/// Sizes of a compiled knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Stats {
    /// Drugs, combination products included.
    pub drugs: i64,
    /// Classes.
    pub classes: i64,
    /// Rules.
    pub rules: i64,
    /// Combination products.
    pub combinations: i64,
    /// Additive-risk groups.
    pub risk_groups: i64,
    /// Graph nodes.
    pub nodes: i64,
    /// Graph edges.
    pub edges: i64,
}

#[cfg(test)]
mod tests {
    use super::{Partner, PartnerTable, RuleIds};
    use crate::model::Severity;

    proptest::proptest! {
        /// A partner table finds what a hash map of the same entries finds, dense or sparse.
        #[test]
        fn partner_table_finds_what_a_map_finds(
            keys in proptest::collection::btree_set(0u32..5_000, 0..400),
            probes in proptest::collection::vec(0u32..5_200, 0..200),
        ) {
            let entries: Vec<(u32, Partner)> = keys
                .iter()
                .enumerate()
                .map(|(i, &k)| (k, Partner {
                    specificity: (i % 3) as u8,
                    severity: Severity::Moderate,
                    rule: k.wrapping_mul(7),
                    key: i as u16,
                }))
                .rev()
                .collect();
            let map: std::collections::HashMap<u32, Partner> = entries.iter().copied().collect();
            let table = PartnerTable::new(entries);
            for k in probes.into_iter().chain(keys.iter().copied()) {
                let (a, b) = (table.get(k), map.get(&k));
                proptest::prop_assert_eq!(a.map(|p| (p.rule, p.key)), b.map(|p| (p.rule, p.key)));
            }
        }
    }

    #[test]
    fn partner_tables_are_dense_where_the_bitmap_is_cheaper() {
        let p = |k: u32| {
            (
                k,
                Partner {
                    specificity: 0,
                    severity: Severity::Minor,
                    rule: k,
                    key: 0,
                },
            )
        };
        assert!(matches!(
            PartnerTable::new((0..64).map(p).collect()),
            PartnerTable::Dense { .. }
        ));
        assert!(matches!(
            PartnerTable::new(vec![p(3), p(9_000)]),
            PartnerTable::Sparse(_)
        ));
        assert!(matches!(
            PartnerTable::new(Vec::new()),
            PartnerTable::Dense { .. }
        ));
        assert!(PartnerTable::new(Vec::new()).get(0).is_none());
    }

    #[test]
    fn rule_ids_give_back_each_id_and_find_the_first() {
        let mut ids = RuleIds::default();
        for id in ["R1", "interaction-ß-2", "x", "R1"] {
            ids.text.push_str(id);
            ids.ends.push(ids.text.len() as u32);
        }
        let got: Vec<&str> = (0..4).map(|r| ids.get(r)).collect();
        assert_eq!(got, ["R1", "interaction-ß-2", "x", "R1"]);
        assert_eq!(ids.get(4), "");
        assert_eq!(ids.position("R1"), Some(0));
        assert_eq!(ids.position("x"), Some(2));
        assert_eq!(ids.position("R"), None);
    }

    #[test]
    fn a_stored_rule_is_32_bytes() {
        assert_eq!(std::mem::size_of::<super::StoredRule>(), 32);
    }
}
