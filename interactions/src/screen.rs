//! Screening a medication list: drug–drug interactions by the most specific rule (drug pair >
//! drug–class > class pair, deeper classes before shallower), the same drug twice, duplicate
//! therapy, allergy cross-sensitivity and additive risk; and resolving free-text names.

use serde::{Deserialize, Serialize};

use crate::error::{InteractionError, Result};
use crate::graph::{InteractionGraph, Key, NameKind};
use crate::model::Severity;
use crate::names::{normalize, normalize_into, similarity};

/// What is known about the patient beyond the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PatientContext {
    /// Allergies: drug ids or names, class codes or names (`penicillin`, `J01C`).
    #[serde(default)]
    pub allergies: Vec<String>,
    /// Class level at which two drugs count as the same therapy (default 3: `M01A` NSAIDs).
    #[serde(default)]
    pub duplicate_class_level: Option<i64>,
    /// Deepest class level an allergy to a drug extends to (default 3: `J01C` penicillins).
    #[serde(default)]
    pub allergy_class_level: Option<i64>,
    /// Classes whose members do not count as the same therapy, each with everything under it
    /// (matched by code prefix). Absent: [`DEFAULT_DUPLICATE_EXCLUSIONS`]; `[]`: none.
    #[serde(default)]
    pub duplicate_exclusions: Option<Vec<String>>,
}

/// Classes left out of duplicate-therapy alerts unless a request says otherwise: ATC level-3
/// catch-alls whose members are different therapies (`L01X` other antineoplastics, `L01E`
/// protein kinase inhibitors, `L04A` immunosuppressants, `N06A` antidepressants — their
/// level-4 subgroups, such as `N06AB` SSRIs, still count at level 4), and the route-specific
/// groups (`S01` eye, `S02` ear, `S03` eye and ear, `D` skin) that a drug without a route gets
/// from every ATC code of its substance (famciclovir and sulfamethizole are not "both
/// antiinfective ophthalmologics" for a patient taking them by mouth).
pub const DEFAULT_DUPLICATE_EXCLUSIONS: &[&str] =
    &["L01X", "L01E", "L04A", "N06A", "S01", "S02", "S03", "D"];

/// A list to screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// Drug ids, names, synonyms or brands, as written on the prescriptions.
    pub medications: Vec<String>,
    /// Allergies and levels.
    #[serde(default)]
    pub context: PatientContext,
    /// Alerts without their text (no message, path, mechanism, effect, management, evidence
    /// or source): kind, severity, drugs, entries and rule only; `explain(rule)` gives a
    /// rule's text on demand.
    #[serde(default)]
    pub lean: bool,
}

/// One new drug against the current list: the pharmacist's usual question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The drug about to be dispensed.
    pub drug: String,
    /// What the patient already takes.
    pub current: Vec<String>,
    /// Allergies and levels.
    #[serde(default)]
    pub context: PatientContext,
    /// Alerts without their text, as [`ScreenRequest::lean`].
    #[serde(default)]
    pub lean: bool,
}

/// What kind of problem an alert reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A rule between the two drugs (or their classes).
    Interaction,
    /// The same drug twice (directly or inside a combination product).
    DuplicateDrug,
    /// Two drugs of the same therapeutic class.
    DuplicateTherapy,
    /// An allergy to the drug, its class, or a drug of a related class.
    Allergy,
    /// Summed weights of an additive-risk group over the threshold.
    AdditiveRisk,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// Kind.
    pub kind: AlertKind,
    /// Severity.
    pub severity: Severity,
    /// Ids of the drugs (ingredients) involved, sorted.
    pub drugs: Vec<String>,
    /// The list entries involved, as written, sorted.
    pub entries: Vec<String>,
    /// The rule that fired (interactions).
    pub rule: Option<String>,
    /// Mechanism.
    pub mechanism: Option<String>,
    /// Clinical effect.
    pub effect: Option<String>,
    /// What to do.
    pub management: Option<String>,
    /// Evidence level.
    pub evidence: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// The graph path that fired: drug → class … → rule → … class → drug.
    pub path: Vec<String>,
    /// One line for a person (empty in a lean screen, as are `path` and the rule texts).
    pub message: String,
}

/// A list entry and the drug it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolvedEntry {
    /// As written.
    pub entry: String,
    /// Drug id.
    pub drug: String,
    /// Drug name.
    pub name: String,
    /// Ingredient ids (the drug itself unless a combination product).
    pub ingredients: Vec<String>,
    /// The text names more than one drug (a synonym of one is another's brand): each has its
    /// own entry here and is screened, so check with the prescriber which is meant.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
}

/// The result of a screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Screening {
    /// Most severe first.
    pub alerts: Vec<Alert>,
    /// What each entry was read as.
    pub resolved: Vec<ResolvedEntry>,
    /// Entries (and allergies, prefixed `allergy: `) that name no known drug: never dropped.
    pub unknown: Vec<String>,
    /// For each unknown entry or allergy (as written) with near spellings: up to three
    /// candidates, best first ("did you mean").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Resolution>,
}

/// How a candidate name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The drug id.
    Id,
    /// The preferred name.
    Name,
    /// A synonym.
    Synonym,
    /// A brand.
    Brand,
    /// A near spelling of a name, synonym or brand.
    Fuzzy,
}

/// One candidate drug for a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Drug id.
    pub drug: String,
    /// Drug name.
    pub name: String,
    /// The name that matched.
    pub matched: String,
    /// How.
    pub how: MatchKind,
    /// 1 for an exact match; `1 - edits / length` for a near one.
    pub score: f64,
}

/// Candidates for a free-text name, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The text as given.
    pub query: String,
    /// Best first; empty when nothing is close.
    pub candidates: Vec<Candidate>,
}

/// Drops dose, form and salt words from normalised text: numbers, units, dosage forms and
/// the salts a substance is sold as (`metformin hydrochloride 500 mg tablets` → `metformin`).
fn strip_dose(q: &str) -> String {
    const WORDS: &[&str] = &[
        // salts and hydrates
        "hydrochloride",
        "hcl",
        "dihydrochloride",
        "hydrobromide",
        "sulphate",
        "sulfate",
        "bisulfate",
        "bisulphate",
        "sodium",
        "disodium",
        "potassium",
        "calcium",
        "magnesium",
        "maleate",
        "mesylate",
        "mesilate",
        "besylate",
        "besilate",
        "tartrate",
        "bitartrate",
        "citrate",
        "succinate",
        "fumarate",
        "hemifumarate",
        "acetate",
        "phosphate",
        "bromide",
        "hyclate",
        "monohydrate",
        "dihydrate",
        "trihydrate",
        "hemihydrate",
        "anhydrous",
        "propionate",
        "dipropionate",
        "valerate",
        "furoate",
        "tosylate",
        "lactate",
        "gluconate",
        "trometamol",
        "tromethamine",
        // forms and routes
        "inhaler",
        "inhalation",
        "inh",
        "evohaler",
        "accuhaler",
        "spray",
        "nasal",
        "suspension",
        "susp",
        "solution",
        "oral",
        "ointment",
        "gel",
        "lotion",
        "patch",
        "patches",
        "suppository",
        "suppositories",
        "sachet",
        "sachets",
        "powder",
        "vial",
        "ampoule",
        "pen",
        "eye",
        "ear",
        "topical",
        "er",
        "sr",
        "xr",
        "cr",
        "mr",
        "xl",
        "la",
        "ec",
        "dt",
        "mg",
        "mcg",
        "ug",
        "g",
        "ml",
        "iu",
        "units",
        "tab",
        "tabs",
        "tablet",
        "tablets",
        "cap",
        "caps",
        "capsule",
        "capsules",
        "syrup",
        "inj",
        "injection",
        "cream",
        "drops",
        "strip",
    ];
    q.split(' ')
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && !WORDS.contains(w))
        .filter(|w| {
            // "500mg", "10ml"
            let digits = w.trim_start_matches(|c: char| c.is_ascii_digit());
            digits.len() == w.len() || !WORDS.contains(&digits)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Near matches below this similarity are not offered.
const MIN_SCORE: f64 = 0.7;

impl InteractionGraph {
    /// The drug a text names exactly (id, name, synonym or brand; case, accents and punctuation
    /// ignored), if exactly one drug has that name: never one of several.
    pub fn lookup(&self, text: &str) -> Option<u32> {
        match self.lookup_all(text).as_slice() {
            [d] => Some(*d),
            _ => None,
        }
    }

    /// Every drug a text names exactly: its id (one drug), else each drug with that name,
    /// synonym or brand (a synonym of one drug may be another's brand), closest kind first.
    pub fn lookup_all(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        self.lookup_into(text, &mut out, &mut String::new());
        out
    }

    /// [`InteractionGraph::lookup_all`] into `out` (cleared first), normalising into `q`.
    fn lookup_into(&self, text: &str, out: &mut Vec<u32>, q: &mut String) {
        out.clear();
        if let Some(&d) = self.drug_ix.get(text) {
            out.push(d);
            return;
        }
        normalize_into(text, q);
        let q = q.as_str();
        // As written, else without dose, form and salt words ("salbutamol sulphate inhaler").
        let Some(hits) = self.exact.get(q).or_else(|| {
            let core = strip_dose(q);
            (!core.is_empty() && core != q)
                .then(|| self.exact.get(&core))
                .flatten()
        }) else {
            return;
        };
        if let [(d, _)] = hits[..] {
            out.push(d);
            return;
        }
        let mut v: Vec<(NameKind, u32)> = hits.iter().map(|&(d, k)| (k, d)).collect();
        v.sort_unstable();
        out.extend(v.into_iter().map(|(_, d)| d));
    }

    /// Ranked candidates for free text (exact matches, else near spellings scoring ≥ 0.7).
    pub fn resolve(&self, text: &str, limit: usize) -> Resolution {
        self.resolve_with(text, limit, true)
    }

    /// [`InteractionGraph::resolve`], near spellings found through the bigram index or (for
    /// the tests that compare the two) by scanning every name.
    fn resolve_with(&self, text: &str, limit: usize, indexed: bool) -> Resolution {
        let mut q = normalize(text);
        if !self.exact.contains_key(&q) {
            // Chat text carries strengths and forms: "amoxycillin 500 mg caps".
            let core = strip_dose(&q);
            if !core.is_empty() {
                q = core;
            }
        }
        let mut out: Vec<Candidate> = Vec::new();
        let kind = |k: NameKind| match k {
            NameKind::Id => MatchKind::Id,
            NameKind::Name => MatchKind::Name,
            NameKind::Synonym => MatchKind::Synonym,
            NameKind::Brand => MatchKind::Brand,
        };
        let cand = |d: u32, matched: &str, how, score| Candidate {
            drug: self.drug_id(d).to_string(),
            name: self.drug_name(d).to_string(),
            matched: matched.to_string(),
            how,
            score,
        };
        if let Some(hits) = self.exact.get(&q) {
            for &(d, k) in hits {
                out.push(cand(d, &q, kind(k), 1.0));
            }
        } else if q.chars().count() >= 3 {
            let max = (q.chars().count() / 4).clamp(1, 3);
            let qlen = q.chars().count();
            // Candidates by shared bigrams: an edit destroys at most two of the query's bigram
            // occurrences (a swap three), so a name within `max` edits shares at least
            // `distinct bigrams − 3·max` of the query's distinct bigrams. Below that bound no
            // name is ruled out and every name is a candidate. Candidates keep the names' order,
            // so the answer is the full scan's.
            let grams = crate::names::bigrams(&q);
            let need = grams.len().saturating_sub(3 * max);
            let candidates: Vec<u32> = if need == 0 || !indexed {
                (0..self.names.len() as u32).collect()
            } else {
                let mut shared = vec![0u16; self.names.len()];
                for g in &grams {
                    for &i in self.bigrams.get(g).map_or(&[][..], Vec::as_slice) {
                        shared[i as usize] += 1;
                    }
                }
                (0..self.names.len() as u32)
                    .filter(|&i| usize::from(shared[i as usize]) >= need)
                    .collect()
            };
            for (name, d, _, len) in candidates.iter().map(|&i| &self.names[i as usize]) {
                // Lengths further apart than the allowed edits cannot match.
                if len.abs_diff(qlen) > max {
                    continue;
                }
                if let Some(s) = similarity(&q, name, max).filter(|s| *s >= MIN_SCORE) {
                    match out.iter_mut().find(|c| c.drug == self.drug_id(*d)) {
                        Some(c) if c.score >= s => {}
                        Some(c) => *c = cand(*d, name, MatchKind::Fuzzy, s),
                        None => out.push(cand(*d, name, MatchKind::Fuzzy, s)),
                    }
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
        out.truncate(limit.max(1));
        Resolution {
            query: text.to_string(),
            candidates: out,
        }
    }

    /// Screens a medication list.
    pub fn screen(&self, req: &ScreenRequest) -> Result<Screening> {
        self.run(&req.medications, &req.context, None, req.lean)
    }

    /// Screens many lists in one call, one screening per list in order. At most 100,000 lists;
    /// a list that is refused refuses the call, naming its index.
    pub fn screen_many(&self, reqs: &[ScreenRequest]) -> Result<Vec<Screening>> {
        if reqs.len() > 100_000 {
            return Err(InteractionError::InvalidInput(format!(
                "{} lists: at most 100000 per call",
                reqs.len()
            )));
        }
        reqs.iter()
            .enumerate()
            .map(|(i, r)| {
                self.screen(r).map_err(|e| match e {
                    InteractionError::InvalidInput(m) => {
                        InteractionError::InvalidInput(format!("requests[{i}]: {m}"))
                    }
                    other => other,
                })
            })
            .collect()
    }

    /// A rule's full text (mechanism, effect, management, evidence, source) by its id: what a
    /// lean screen leaves out.
    pub fn explain(&self, rule: &str) -> Option<crate::model::Rule> {
        Some(self.rule(self.rule_ids.position(rule)?))
    }

    /// Screens one new drug against a current list: only alerts the new drug takes part in.
    pub fn check_new(&self, req: &CheckRequest) -> Result<Screening> {
        let mut list = req.current.clone();
        list.push(req.drug.clone());
        if self.lookup_all(&req.drug).is_empty() {
            return Err(InteractionError::UnknownDrug(req.drug.clone()));
        }
        self.run(&list, &req.context, Some(list.len() - 1), req.lean)
    }

    fn run(
        &self,
        meds: &[String],
        ctx: &PatientContext,
        only: Option<usize>,
        lean: bool,
    ) -> Result<Screening> {
        let level = |v: Option<i64>, what: &str| -> Result<u8> {
            match v {
                None => Ok(3),
                Some(l) if (1..=9).contains(&l) => Ok(l as u8),
                Some(l) => Err(InteractionError::InvalidInput(format!(
                    "{what} {l} must be 1 to 9"
                ))),
            }
        };
        let dup_level = level(ctx.duplicate_class_level, "duplicate_class_level")?;
        let exclusions: Vec<&str> = match &ctx.duplicate_exclusions {
            Some(v) => v.iter().map(String::as_str).collect(),
            None => DEFAULT_DUPLICATE_EXCLUSIONS.to_vec(),
        };
        // An exclusion covers its class and, for ATC codes, every code under it.
        let excluded = |c: u32| {
            let code = &self.kb.classes[c as usize].code;
            exclusions.iter().any(|x| {
                code == x || (!x.is_empty() && code.starts_with(x) && crate::csv::is_atc(code))
            })
        };
        let allergy_level = level(ctx.allergy_class_level, "allergy_class_level")?;
        if meds.len() > 1000 {
            return Err(InteractionError::InvalidInput(format!(
                "{} medications: at most 1000 per screen",
                meds.len()
            )));
        }
        let mut resolved = Vec::new();
        let mut unknown = Vec::new();
        // (ingredient, entry index) for every ingredient of every entry.
        let mut items: Vec<(u32, usize)> = Vec::new();
        let (mut found, mut buf) = (Vec::new(), String::new());
        for (e, m) in meds.iter().enumerate() {
            // A text naming several drugs screens each of them (never one picked): alternatives
            // of one entry are not screened against each other.
            self.lookup_into(m, &mut found, &mut buf);
            if found.is_empty() {
                unknown.push(m.clone());
            }
            for &d in &found {
                let ing = &self.ingredients[d as usize];
                items.extend(ing.iter().map(|&i| (i, e)));
                resolved.push(ResolvedEntry {
                    entry: m.clone(),
                    drug: self.drug_id(d).to_string(),
                    name: self.drug_name(d).to_string(),
                    ingredients: ing.iter().map(|&i| self.drug_id(i).to_string()).collect(),
                    ambiguous: found.len() > 1,
                });
            }
        }
        items.sort_unstable();
        items.dedup();
        // Unique ingredients, each with the entries it comes from (a run of `from`).
        let from: Vec<usize> = items.iter().map(|&(_, e)| e).collect();
        let mut drugs: Vec<(u32, &[usize])> = Vec::new();
        let mut start = 0;
        for (i, &(d, _)) in items.iter().enumerate() {
            if items.get(i + 1).is_none_or(|&(next, _)| next != d) {
                drugs.push((d, &from[start..=i]));
                start = i + 1;
            }
        }
        // The entries of these indices as written, sorted, each text once.
        let entries_of = |es: &mut dyn Iterator<Item = usize>| -> Vec<String> {
            let mut v: Vec<String> = es.map(|e| meds[e].clone()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let entries = |es: &[usize]| entries_of(&mut es.iter().copied());
        let involves = |es: &[usize]| only.is_none_or(|n| es.contains(&n));
        let mut alerts = Vec::new();

        for (d, es) in &drugs {
            if es.len() > 1 && involves(es) {
                let name = self.drug_name(*d);
                let (path, message) = explained(lean, || {
                    (
                        vec![format!("drug {}", self.drug_id(*d))],
                        format!(
                            "{name} appears {} times in the list ({})",
                            es.len(),
                            entries(es).join(", ")
                        ),
                    )
                });
                alerts.push(self.alert(
                    AlertKind::DuplicateDrug,
                    Severity::Moderate,
                    vec![*d],
                    entries(es),
                    path,
                    message,
                ));
            }
        }

        for (i, (a, ea)) in drugs.iter().enumerate() {
            for (b, eb) in &drugs[i + 1..] {
                // Ingredients of one product are not screened against each other. Once either
                // also comes from another entry, the pair is screened (co-amoxiclav with
                // amoxicillin is two penicillin products: duplicate therapy).
                if ea.len() == 1 && eb.len() == 1 && ea[0] == eb[0] {
                    continue;
                }
                if !(involves(ea) || involves(eb)) {
                    continue;
                }
                let both = || entries_of(&mut ea.iter().chain(eb.iter()).copied());
                if let Some(alert) = self.interaction(*a, *b, &both, lean) {
                    alerts.push(alert);
                }
                if let Some(c) = self.shared_class(*a, *b, |c| {
                    self.class_level[c as usize] == dup_level && !excluded(c)
                }) {
                    let (path, message) = explained(lean, || {
                        (
                            vec![
                                format!("drug {}", self.drug_id(*a)),
                                self.class_label(c),
                                format!("drug {}", self.drug_id(*b)),
                            ],
                            format!(
                                "{} and {} are both {}: duplicate therapy",
                                self.drug_name(*a),
                                self.drug_name(*b),
                                self.kb.classes[c as usize].name
                            ),
                        )
                    });
                    alerts.push(self.alert(
                        AlertKind::DuplicateTherapy,
                        Severity::Moderate,
                        vec![*a, *b],
                        both(),
                        path,
                        message,
                    ));
                }
            }
        }

        for allergen in &ctx.allergies {
            let found = self.allergy_alerts(allergen, &drugs, allergy_level, &entries, &involves);
            match found {
                Some(mut a) => alerts.append(&mut a),
                None => unknown.push(format!("allergy: {allergen}")),
            }
        }

        for (g, group) in self.groups.iter().enumerate() {
            let mut sum = 0;
            let mut who = Vec::new();
            let mut es = Vec::new();
            for (d, e) in &drugs {
                if let Some(&(_, w)) = self.risks[*d as usize].iter().find(|(x, _)| *x == g as u32)
                    && w > 0
                {
                    sum += w;
                    who.push(*d);
                    es.extend(e.iter().copied());
                }
            }
            if who.len() < 2 || sum < group.moderate || !involves(&es) {
                continue;
            }
            let severity = if sum >= group.major {
                Severity::Major
            } else {
                Severity::Moderate
            };
            let names: Vec<&str> = who.iter().map(|&d| self.drug_name(d)).collect();
            alerts.push(
                self.alert(
                    AlertKind::AdditiveRisk,
                    severity,
                    who.clone(),
                    entries(&es),
                    who.iter()
                        .map(|&d| format!("drug {}", self.drug_id(d)))
                        .chain(std::iter::once(format!("risk group {}", group.name)))
                        .collect(),
                    format!(
                        "{}: summed weight {sum} (moderate ≥ {}, major ≥ {}) from {}",
                        group.label,
                        group.moderate,
                        group.major,
                        names.join(", ")
                    ),
                ),
            );
        }

        // Most severe first, then by kind, drug ids and message. The drug ids compare by their
        // ranks first (equal ranks, equal ids), as text only where the first two tie.
        alerts.sort_by(|x, y| {
            y.alert
                .severity
                .cmp(&x.alert.severity)
                .then(x.alert.kind.cmp(&y.alert.kind))
                .then(x.ids.cmp(&y.ids))
                .then_with(|| x.alert.drugs.cmp(&y.alert.drugs))
                .then_with(|| x.alert.message.cmp(&y.alert.message))
        });
        let mut alerts: Vec<Alert> = alerts.into_iter().map(|r| r.alert).collect();
        // A lean screen built no text for duplicates and interactions (one alert of a kind per
        // drug or pair: their message never decides the order above); the other kinds' texts,
        // which can, go now.
        if lean {
            for a in &mut alerts {
                a.mechanism = None;
                a.effect = None;
                a.management = None;
                a.evidence = None;
                a.source = None;
                a.path = Vec::new();
                a.message = String::new();
            }
        }
        // Near spellings for what named nothing, medications and allergies alike.
        let suggestions = unknown
            .iter()
            .map(|u| u.strip_prefix("allergy: ").unwrap_or(u))
            .map(|u| self.resolve(u, 3))
            .filter(|r| !r.candidates.is_empty())
            .collect();
        Ok(Screening {
            alerts,
            resolved,
            unknown,
            suggestions,
        })
    }

    /// The most specific rule between two drugs, as an alert.
    fn interaction(
        &self,
        a: u32,
        b: u32,
        entries: &dyn Fn() -> Vec<String>,
        lean: bool,
    ) -> Option<Ranked> {
        // a's partner map holds, per key, the best rule from any of a's keys; probe it with
        // each of b's keys and keep the best total specificity.
        let mut best: Option<(u8, Severity, u32, &Key, &Key)> = None;
        let map = &self.partners[a as usize];
        for kb in &self.keys[b as usize] {
            let Some(p) = map.get(kb.key) else { continue };
            let score = p.specificity + kb.specificity;
            let better = match best {
                None => true,
                Some((s, v, rr, _, _)) => {
                    (score, p.severity, std::cmp::Reverse(p.rule)) > (s, v, std::cmp::Reverse(rr))
                }
            };
            if better {
                best = Some((
                    score,
                    p.severity,
                    p.rule,
                    &self.keys[a as usize][p.key as usize],
                    kb,
                ));
            }
        }
        let (_, severity, r, ka, kb) = best?;
        let rule = &self.rules[r as usize];
        let rule_id = self.rule_ids.get(r);
        let effect = self.text(rule.text.effect);
        let (path, message) = explained(lean, || {
            // Path: drug a → its classes up to the rule's side → rule → … → drug b.
            let (first, second, k1, k2) = if self.drug_id(a) <= self.drug_id(b) {
                (a, b, ka, kb)
            } else {
                (b, a, kb, ka)
            };
            let mut path = vec![format!("drug {}", self.drug_id(first))];
            path.extend(k1.via.iter().map(|&c| self.class_label(c)));
            path.push(format!("rule {rule_id} ({})", severity.as_str()));
            path.extend(k2.via.iter().rev().map(|&c| self.class_label(c)));
            path.push(format!("drug {}", self.drug_id(second)));
            let via = |k: &Key, d: u32| match k.via.last() {
                None => self.drug_name(d).to_string(),
                Some(&c) => format!(
                    "{} (as {})",
                    self.drug_name(d),
                    self.kb.classes[c as usize].name
                ),
            };
            let message = format!(
                "{} + {}: {:?}{}",
                via(k1, first),
                via(k2, second),
                severity,
                effect.map(|e| format!(" — {e}")).unwrap_or_default()
            );
            (path, message)
        });
        let mut ranked = self.alert(
            AlertKind::Interaction,
            severity,
            vec![a, b],
            entries(),
            path,
            message,
        );
        let alert = &mut ranked.alert;
        alert.rule = Some(rule_id.to_string());
        if !lean {
            alert.mechanism = self.text(rule.text.mechanism).map(str::to_owned);
            alert.effect = effect.map(str::to_owned);
            alert.management = self.text(rule.text.management).map(str::to_owned);
            alert.evidence = self.text(rule.text.evidence).map(str::to_owned);
            alert.source = self.text(rule.text.source).map(str::to_owned);
        }
        Some(ranked)
    }

    /// The deepest class two drugs share that passes `keep`.
    fn shared_class(&self, a: u32, b: u32, keep: impl Fn(u32) -> bool) -> Option<u32> {
        let n = self.kb.drugs.len() as u32;
        let classes = |d: u32| {
            self.keys[d as usize]
                .iter()
                .filter(|k| k.key >= n)
                .map(|k| k.key - n)
        };
        // Shared first (integers), then `keep` (which may compare class codes as text).
        classes(a)
            .filter(|c| classes(b).any(|x| x == *c))
            .filter(|c| keep(*c))
            .max_by_key(|c| (self.class_level[*c as usize], std::cmp::Reverse(*c)))
    }

    fn allergy_alerts(
        &self,
        allergen: &str,
        drugs: &[(u32, &[usize])],
        level: u8,
        entries: &dyn Fn(&[usize]) -> Vec<String>,
        involves: &dyn Fn(&[usize]) -> bool,
    ) -> Option<Vec<Ranked>> {
        let n = self.kb.drugs.len() as u32;
        let class = self.class_ix.get(allergen).copied().or_else(|| {
            let q = normalize(allergen);
            self.kb
                .classes
                .iter()
                .position(|c| normalize(&c.name) == q)
                .map(|i| i as u32)
        });
        // An allergen naming several drugs is an allergy to each of them.
        let named = self.lookup_all(allergen);
        if class.is_none() && named.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for (d, es) in drugs {
            if !involves(es) {
                continue;
            }
            let name = self.drug_name(*d);
            let hit = if let Some(&x) = named
                .iter()
                .find(|x| self.ingredients[**x as usize].contains(d))
            {
                Some((
                    Severity::Contraindicated,
                    vec![
                        format!("allergy {allergen}"),
                        format!("drug {}", self.drug_id(x)),
                    ],
                    format!("allergy to {allergen}: {name} is that drug"),
                ))
            } else if let Some(c) =
                class.filter(|c| self.keys[*d as usize].iter().any(|k| k.key == n + c))
            {
                Some((
                    Severity::Major,
                    vec![
                        format!("allergy {allergen}"),
                        self.class_label(c),
                        format!("drug {}", self.drug_id(*d)),
                    ],
                    format!("allergy to {allergen}: {name} is one of them"),
                ))
            } else {
                named
                    .iter()
                    .flat_map(|&x| self.ingredients[x as usize].iter())
                    .find_map(|&xi| self.shared_class(xi, *d, |c| self.class_level[c as usize] >= level).map(|c| (xi, c)))
                    .map(|(xi, c)| {
                        (
                            Severity::Major,
                            vec![
                                format!("allergy {allergen}"),
                                format!("drug {}", self.drug_id(xi)),
                                self.class_label(c),
                                format!("drug {}", self.drug_id(*d)),
                            ],
                            format!(
                                "allergy to {allergen}: {name} is in the same class ({}), cross-sensitivity",
                                self.kb.classes[c as usize].name
                            ),
                        )
                    })
            };
            if let Some((severity, path, message)) = hit {
                out.push(self.alert(
                    AlertKind::Allergy,
                    severity,
                    vec![*d],
                    entries(es),
                    path,
                    message,
                ));
            }
        }
        Some(out)
    }

    fn alert(
        &self,
        kind: AlertKind,
        severity: Severity,
        mut drugs: Vec<u32>,
        entries: Vec<String>,
        path: Vec<String>,
        message: String,
    ) -> Ranked {
        // Ranks order drugs as their ids do (the ids are distinct).
        drugs.sort_unstable_by_key(|&d| self.drug_rank[d as usize]);
        let rank = |i: usize| {
            drugs
                .get(i)
                .map_or(0, |&d| u64::from(self.drug_rank[d as usize]) + 1)
        };
        let ids = (rank(0) << 32) | rank(1);
        let alert = Alert {
            kind,
            severity,
            drugs: drugs.iter().map(|&d| self.drug_id(d).to_string()).collect(),
            entries,
            rule: None,
            mechanism: None,
            effect: None,
            management: None,
            evidence: None,
            source: None,
            path,
            message,
        };
        Ranked { ids, alert }
    }
}

/// An alert as a screen sorts it: with the ranks of its first two drug ids, each plus one (0
/// for none), the first in the high half. Comparing them compares the ids' first two texts,
/// a shorter list first.
struct Ranked {
    ids: u64,
    alert: Alert,
}

/// An alert's path and message, or none in a lean screen.
fn explained(lean: bool, texts: impl FnOnce() -> (Vec<String>, String)) -> (Vec<String>, String) {
    if lean {
        (Vec::new(), String::new())
    } else {
        texts()
    }
}

#[cfg(test)]
mod index_tests {
    use crate::sample;

    /// Every misspelling within the allowed edits of every sample name (one deletion, one
    /// substitution, one swap, one insertion at each position) resolves through the bigram
    /// index exactly as through the full scan.
    #[test]
    fn the_bigram_index_answers_as_the_full_scan() {
        let g = sample().unwrap();
        let mut queries = 0;
        for (name, ..) in &g.names {
            let c: Vec<char> = name.chars().collect();
            for i in 0..c.len() {
                let mut variants = Vec::new();
                let mut del = c.clone();
                del.remove(i);
                variants.push(del);
                let mut sub = c.clone();
                sub[i] = if c[i] == 'x' { 'q' } else { 'x' };
                variants.push(sub);
                if i + 1 < c.len() {
                    let mut swap = c.clone();
                    swap.swap(i, i + 1);
                    variants.push(swap);
                }
                let mut ins = c.clone();
                ins.insert(i, 'e');
                variants.push(ins);
                for v in variants {
                    let q: String = v.into_iter().collect();
                    assert_eq!(
                        g.resolve_with(&q, 5, true),
                        g.resolve_with(&q, 5, false),
                        "{q}"
                    );
                    queries += 1;
                }
            }
        }
        assert!(queries > 1000, "{queries} queries");
    }
}
