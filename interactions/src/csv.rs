//! CSV loaders, read with the `csv` crate, columns found by their header names in any order and
//! the delimiter (`,`, `;` or tab) taken from the header line:
//!
//! - interaction pairs: DDInter's download (`DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level`, with
//!   or without the id columns, comma- or semicolon-separated) or a plain `drug_a,drug_b,level`;
//! - an ATC class table: `code`, `name` and optionally `parent` (without it, the parent is the
//!   code's ATC parent: `N02BE` → `N02B`);
//! - drug → ATC memberships: `drug` (an id or a name) and `atc`.
//!
//! Errors name the line. A pair listed again (in the same file or another) keeps its highest
//! level; an empty level is an error, not `unknown`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Result, kb_error};
use crate::model::{Drug, DrugClass, KnowledgeBase, Rule, Severity, Target, TargetKind};
use crate::names::normalize;

/// A CSV table: its header names (lowercase, `_` for blanks and dashes) and its data rows, each
/// with its 1-based line number.
pub struct Table {
    /// Header names as found, normalised.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Reads CSV text. The delimiter is whichever of `,`, `;` and tab the header line has most
    /// of (a comma when it has none).
    pub fn read(text: &str) -> Result<Table> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let first = text.lines().next().unwrap_or("");
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
            .unwrap_or(b',');
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(::csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| kb_error(format!("CSV header: {e}")))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase().replace([' ', '-'], "_"))
            .collect();
        if header.iter().all(|h| h.is_empty()) {
            return Err(kb_error("CSV is empty"));
        }
        // The line a record starts on, from its byte offset (blank lines counted).
        let line_at = |byte: u64| {
            let b = text.as_bytes();
            // csv reports where it started reading: past the blank lines before the record.
            let mut end = (byte as usize).min(b.len());
            while end < b.len() && matches!(b[end], b'\r' | b'\n') {
                end += 1;
            }
            1 + b[..end].iter().filter(|&&c| c == b'\n').count() as u64
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                kb_error(format!("CSV line {line}: {e}"))
            })?;
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            let line = record.position().map_or(0, |p| line_at(p.byte()));
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        Ok(Table { header, rows })
    }

    /// The index of the first header among `names`.
    fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h == n))
    }

    /// The index of a column that must be there.
    fn need(&self, names: &[&str], expected: &str) -> Result<usize> {
        self.column(names).ok_or_else(|| {
            kb_error(format!(
                "CSV header: no {} column (found {}); expected {expected}",
                names[0],
                self.header.join(",")
            ))
        })
    }
}

/// The field of a row (empty when the row is short).
fn field(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", |s| s.trim())
}

/// What a CSV load did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LoadReport {
    /// Data rows read.
    pub rows: i64,
    /// Rules added.
    pub rules_added: i64,
    /// Rows that repeated a pair already known (the higher level kept).
    pub duplicates_merged: i64,
    /// Drugs created because no drug of that id or name existed.
    pub drugs_added: i64,
    /// Classes added.
    pub classes_added: i64,
    /// Drug → class memberships added.
    #[serde(default)]
    pub memberships_added: i64,
}

/// Lengths of the codes of the five ATC levels.
const ATC_LEVELS: [usize; 5] = [1, 3, 4, 5, 7];

/// Whether `code` has the shape of an ATC code of some level (`N`, `N02`, `N02B`, `N02BE`,
/// `N02BE01`).
pub fn is_atc(code: &str) -> bool {
    let b = code.as_bytes();
    let shape = |i: usize, c: u8| match i {
        0 | 3 | 4 => c.is_ascii_uppercase(),
        _ => c.is_ascii_digit(),
    };
    ATC_LEVELS.contains(&b.len()) && b.iter().enumerate().all(|(i, &c)| shape(i, c))
}

/// The ATC parent of a code (`N02BE01` → `N02BE`, `N02` → `N`), `None` at the top.
pub fn atc_parent(code: &str) -> Option<&str> {
    let at = ATC_LEVELS.iter().position(|&l| l == code.len())?;
    at.checked_sub(1).map(|p| &code[..ATC_LEVELS[p]])
}

/// The class an ATC code puts a drug in: the code itself, or for a substance code (level 5,
/// `N02BE01`) its chemical subgroup (`N02BE`).
pub fn atc_class_of(code: &str) -> &str {
    if code.len() == 7 { &code[..5] } else { code }
}

impl KnowledgeBase {
    /// Makes sure the ATC class `code` and its ATC ancestors are classes, creating the missing
    /// ones (named by their code) under their ATC parents; returns how many it created.
    pub fn ensure_atc_class(&mut self, code: &str) -> i64 {
        let mut added = 0;
        let mut at = Some(code);
        while let Some(c) = at {
            if self.classes.iter().any(|x| x.code == c) {
                break;
            }
            self.classes.push(DrugClass {
                code: c.to_string(),
                name: c.to_string(),
                parent: atc_parent(c).map(str::to_string),
            });
            added += 1;
            at = atc_parent(c);
        }
        added
    }
}

/// Finds the drugs of a knowledge base by id, and by normalised id, name or synonym.
struct DrugIndex {
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl DrugIndex {
    fn new(drugs: &[Drug]) -> Self {
        let mut me = DrugIndex {
            by_id: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (i, d) in drugs.iter().enumerate() {
            me.add(d, i);
        }
        me
    }

    fn add(&mut self, d: &Drug, i: usize) {
        self.by_id.insert(d.id.clone(), i);
        for name in [&d.id, &d.name].into_iter().chain(&d.synonyms) {
            let v = self.by_name.entry(normalize(name)).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }

    /// The drug a row names: by its id where given and known, else by a name only one drug
    /// has; `None` when no drug has it; an error when several do.
    fn find(&self, drugs: &[Drug], id: &str, name: &str, line: u64) -> Result<Option<usize>> {
        if let Some(&i) = self.by_id.get(id).filter(|_| !id.is_empty()) {
            return Ok(Some(i));
        }
        for text in [name, id] {
            match self.by_name.get(&normalize(text)).map(Vec::as_slice) {
                Some([i]) => return Ok(Some(*i)),
                Some(many @ [_, _, ..]) if !text.is_empty() => {
                    let ids: Vec<&str> = many.iter().map(|&i| drugs[i].id.as_str()).collect();
                    return Err(kb_error(format!(
                        "CSV line {line}: {text:?} names several drugs ({}): give its id",
                        ids.join(", ")
                    )));
                }
                _ => {}
            }
        }
        Ok(None)
    }
}

const PAIRS: &str = "DDInter's DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level (the id columns optional) \
                     or drug_a,drug_b,level";

impl KnowledgeBase {
    /// Adds an interaction pair list: DDInter's download or a plain `drug_a,drug_b,level`. Each
    /// side is matched by id, then by an id, name or synonym only one drug has (case- and
    /// accent-insensitive), else created (id: the DDInter id, or the normalised name); a name
    /// several drugs have is an error. Each pair becomes a drug–drug rule, and a pair seen
    /// again keeps the highest level.
    pub fn merge_ddinter_csv(&mut self, text: &str) -> Result<LoadReport> {
        let t = Table::read(text)?;
        let name_a = t.need(&["drug_a", "drug_a_name", "name_a", "a"], PAIRS)?;
        let name_b = t.need(&["drug_b", "drug_b_name", "name_b", "b"], PAIRS)?;
        let level = t.need(&["level", "severity"], PAIRS)?;
        let id_a = t.column(&["ddinterid_a", "drug_a_id", "id_a"]);
        let id_b = t.column(&["ddinterid_b", "drug_b_id", "id_b"]);
        let mut report = LoadReport::default();
        let mut index = DrugIndex::new(&self.drugs);
        let mut pairs: HashMap<(String, String), usize> = HashMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            if r.a.kind == TargetKind::Drug && r.b.kind == TargetKind::Drug {
                pairs.insert(ordered(&r.a.id, &r.b.id), i);
            }
        }
        for (line, row) in &t.rows {
            let line = *line;
            report.rows += 1;
            let mut side = |id: Option<usize>, name: usize, what: &str| -> Result<String> {
                let id = id.map_or("", |i| field(row, i));
                let name = field(row, name);
                if id.is_empty() && name.is_empty() {
                    return Err(kb_error(format!("CSV line {line}: {what} is empty")));
                }
                if let Some(i) = index.find(&self.drugs, id, name, line)? {
                    return Ok(self.drugs[i].id.clone());
                }
                let id = if id.is_empty() {
                    normalize(name)
                } else {
                    id.to_string()
                };
                let drug = Drug {
                    id: id.clone(),
                    name: if name.is_empty() {
                        id.clone()
                    } else {
                        name.to_string()
                    },
                    ..Default::default()
                };
                index.add(&drug, self.drugs.len());
                self.drugs.push(drug);
                report.drugs_added += 1;
                Ok(id)
            };
            let a = side(id_a, name_a, "Drug_A")?;
            let b = side(id_b, name_b, "Drug_B")?;
            if a == b {
                return Err(kb_error(format!(
                    "CSV line {line}: a drug paired with itself ({a})"
                )));
            }
            let level = Severity::parse(field(row, level)).ok_or_else(|| {
                kb_error(format!(
                    "CSV line {line}: Level {:?} is not Major, Moderate, Minor or Unknown (an empty level is not Unknown)",
                    field(row, level)
                ))
            })?;
            match pairs.get(&ordered(&a, &b)) {
                Some(&i) => {
                    report.duplicates_merged += 1;
                    let r = &mut self.rules[i];
                    r.severity = r.severity.max(level);
                }
                None => {
                    pairs.insert(ordered(&a, &b), self.rules.len());
                    self.rules.push(Rule {
                        id: format!("R{}", self.rules.len() + 1),
                        a: Target {
                            kind: TargetKind::Drug,
                            id: a,
                        },
                        b: Target {
                            kind: TargetKind::Drug,
                            id: b,
                        },
                        severity: level,
                        source: Some("DDInter-style CSV".into()),
                        ..Default::default()
                    });
                    report.rules_added += 1;
                }
            }
        }
        Ok(report)
    }

    /// Adds an ATC class table: columns `code` and `name` (or `atc_code` / `atc_name`), and
    /// optionally `parent` (empty at the top); without a parent column, each code's parent is
    /// its ATC parent (created, named by its code, if the table does not list it). A code
    /// already present is refused unless it is the same.
    pub fn merge_atc_csv(&mut self, text: &str) -> Result<LoadReport> {
        const WANT: &str = "code,name[,parent] in any order";
        let t = Table::read(text)?;
        let code_at = t.need(&["code", "atc_code", "atc"], WANT)?;
        let name_at = t.need(&["name", "atc_name", "description", "class_name"], WANT)?;
        let parent_at = t.column(&["parent", "parent_code"]);
        let mut report = LoadReport::default();
        let mut pending_parents = Vec::new();
        for (line, row) in &t.rows {
            let code = field(row, code_at);
            if code.is_empty() {
                return Err(kb_error(format!("CSV line {line}: code is empty")));
            }
            let parent = match parent_at {
                Some(p) => Some(field(row, p)).filter(|p| !p.is_empty()),
                None => atc_parent(code).filter(|_| is_atc(code)),
            }
            .map(str::to_string);
            if parent_at.is_none()
                && let Some(p) = &parent
            {
                pending_parents.push(p.clone());
            }
            let class = DrugClass {
                code: code.to_string(),
                name: field(row, name_at).to_string(),
                parent,
            };
            report.rows += 1;
            match self.classes.iter_mut().find(|c| c.code == code) {
                Some(c) if *c == class => {}
                // A class created from a code alone takes the table's name.
                Some(c) if c.name == c.code && c.parent == class.parent => *c = class,
                Some(c) => {
                    return Err(kb_error(format!(
                        "CSV line {line}: class {code} is already {:?} under {:?}",
                        c.name, c.parent
                    )));
                }
                None => {
                    self.classes.push(class);
                    report.classes_added += 1;
                }
            }
        }
        for p in pending_parents {
            report.classes_added += self.ensure_atc_class(&p);
        }
        Ok(report)
    }

    /// Adds drug → ATC memberships: columns `drug` (an id or a name; `drug_id` / `drug_name`
    /// also read) and `atc` (`atc_code`). A substance code (`N02BE01`) puts the drug in its
    /// chemical subgroup (`N02BE`) and is kept as the drug's `atc` when it has none; missing
    /// ATC classes are created under their ATC parents, named by their code (load an ATC table
    /// first for names). A drug no id or name matches is created.
    pub fn merge_atc_memberships_csv(&mut self, text: &str) -> Result<LoadReport> {
        const WANT: &str = "drug,atc in any order";
        let t = Table::read(text)?;
        let drug_at = t.need(&["drug", "drug_id", "drug_name", "name", "id"], WANT)?;
        let atc_at = t.need(&["atc", "atc_code", "code"], WANT)?;
        let mut report = LoadReport::default();
        let mut index = DrugIndex::new(&self.drugs);
        for (line, row) in &t.rows {
            let line = *line;
            report.rows += 1;
            let (drug, atc) = (field(row, drug_at), field(row, atc_at));
            if drug.is_empty() {
                return Err(kb_error(format!("CSV line {line}: drug is empty")));
            }
            if !is_atc(atc) {
                return Err(kb_error(format!(
                    "CSV line {line}: {atc:?} is not an ATC code (N, N02, N02B, N02BE or N02BE01)"
                )));
            }
            let i = match index.find(&self.drugs, drug, drug, line)? {
                Some(i) => i,
                None => {
                    let d = Drug {
                        id: normalize(drug),
                        name: drug.to_string(),
                        ..Default::default()
                    };
                    index.add(&d, self.drugs.len());
                    self.drugs.push(d);
                    report.drugs_added += 1;
                    self.drugs.len() - 1
                }
            };
            let class = atc_class_of(atc).to_string();
            report.classes_added += self.ensure_atc_class(&class);
            let d = &mut self.drugs[i];
            if atc.len() == 7 && d.atc.is_none() {
                d.atc = Some(atc.to_string());
            }
            if !d.classes.contains(&class) {
                d.classes.push(class);
                report.memberships_added += 1;
            }
        }
        Ok(report)
    }
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_delimiters_and_quotes() {
        let t = Table::read("a,b\n\"x, y\",\"say \"\"hi\"\"\"\r\n\nlast,row").unwrap();
        assert_eq!(t.header, vec!["a", "b"]);
        assert_eq!(
            t.rows[0].1,
            vec!["x, y".to_string(), "say \"hi\"".to_string()]
        );
        assert_eq!(t.rows[1], (4, vec!["last".to_string(), "row".to_string()]));
        let semi = Table::read("Drug_A;Drug_B;Level\n\"a; b\";c;Minor\n").unwrap();
        assert_eq!(semi.rows[0].1[0], "a; b");
    }

    #[test]
    fn ddinter_rows_merge_and_keep_the_highest_level() {
        let mut kb = KnowledgeBase::default();
        let csv = "DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level\n\
                   DDInter1,Warfarin,DDInter2,\"Ibuprofen, oral\",Moderate\n\
                   DDInter2,\"Ibuprofen, oral\",DDInter1,Warfarin,Major\n";
        let r = kb.merge_ddinter_csv(csv).unwrap();
        assert_eq!(
            (r.rows, r.rules_added, r.duplicates_merged, r.drugs_added),
            (2, 1, 1, 2)
        );
        assert_eq!(kb.rules[0].severity, Severity::Major);
        let e = kb.merge_ddinter_csv("DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level\nX,x,Y,y,Huge\n");
        assert!(e.unwrap_err().to_string().contains("line 2"));
    }

    #[test]
    fn atc_codes_have_parents_by_level() {
        assert!(
            is_atc("N02BE01") && is_atc("N02BE") && is_atc("N") && !is_atc("N2") && !is_atc("n02")
        );
        assert_eq!(atc_parent("N02BE01"), Some("N02BE"));
        assert_eq!(atc_parent("N02"), Some("N"));
        assert_eq!(atc_parent("N"), None);
        assert_eq!(atc_class_of("N02BE01"), "N02BE");
    }
}
