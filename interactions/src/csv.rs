//! CSV loaders: DDInter-style pair lists (`DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level`) and an
//! ATC class table (`code,name,parent`). Quoted fields may hold commas and doubled quotes; errors
//! name the line. A pair listed again (in the same file or another) keeps its highest level.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Result, kb_error};
use crate::model::{Drug, DrugClass, KnowledgeBase, Rule, Severity, Target, TargetKind};
use crate::names::normalize;

/// Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, CRLF), each with
/// its 1-based line number.
pub fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut fields = Vec::new();
    let (mut line, mut start) = (1usize, 1usize);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if fields.iter().any(|f| !f.trim().is_empty()) {
                    out.push((start, std::mem::take(&mut fields)));
                }
                fields.clear();
                line += 1;
                start = line;
                any = false;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(kb_error(format!(
            "CSV line {start}: a quoted field is not closed"
        )));
    }
    if any {
        fields.push(field);
        if fields.iter().any(|f| !f.trim().is_empty()) {
            out.push((start, fields));
        }
    }
    Ok(out)
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
}

fn header(rows: &[(usize, Vec<String>)], want: &[&str]) -> Result<usize> {
    let Some((line, h)) = rows.first() else {
        return Err(kb_error("CSV is empty"));
    };
    let got: Vec<String> = h.iter().map(|f| f.trim().to_ascii_lowercase()).collect();
    let want_l: Vec<String> = want.iter().map(|w| w.to_ascii_lowercase()).collect();
    if got.len() < want.len() || got[..want.len()] != want_l[..] {
        return Err(kb_error(format!(
            "CSV line {line}: expected the header {}, found {}",
            want.join(","),
            h.join(",")
        )));
    }
    Ok(want.len())
}

impl KnowledgeBase {
    /// Adds a DDInter-style pair list: drugs are matched by id, then by name or synonym
    /// (case- and accent-insensitive), else created; each pair becomes a drug–drug rule, and a
    /// pair seen again keeps the highest level.
    pub fn merge_ddinter_csv(&mut self, text: &str) -> Result<LoadReport> {
        let rows = records(text)?;
        let n = header(
            &rows,
            &["DDInterID_A", "Drug_A", "DDInterID_B", "Drug_B", "Level"],
        )?;
        let mut report = LoadReport::default();
        let mut by_id: HashMap<String, usize> = self
            .drugs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, d) in self.drugs.iter().enumerate() {
            for name in std::iter::once(&d.name).chain(&d.synonyms) {
                by_name.entry(normalize(name)).or_insert(i);
            }
        }
        let mut pairs: HashMap<(String, String), usize> = HashMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            if r.a.kind == TargetKind::Drug && r.b.kind == TargetKind::Drug {
                pairs.insert(ordered(&r.a.id, &r.b.id), i);
            }
        }
        for (line, f) in rows.iter().skip(1) {
            if f.len() < n {
                return Err(kb_error(format!(
                    "CSV line {line}: expected {n} fields, found {}",
                    f.len()
                )));
            }
            report.rows += 1;
            let mut side = |id: &str, name: &str, field: &str| -> Result<String> {
                let (id, name) = (id.trim(), name.trim());
                if id.is_empty() && name.is_empty() {
                    return Err(kb_error(format!("CSV line {line}: {field} is empty")));
                }
                if let Some(&i) = by_id.get(id).or_else(|| by_name.get(&normalize(name))) {
                    return Ok(self.drugs[i].id.clone());
                }
                let id = if id.is_empty() {
                    normalize(name)
                } else {
                    id.to_string()
                };
                self.drugs.push(Drug {
                    id: id.clone(),
                    name: name.to_string(),
                    ..Default::default()
                });
                by_id.insert(id.clone(), self.drugs.len() - 1);
                by_name.insert(normalize(name), self.drugs.len() - 1);
                report.drugs_added += 1;
                Ok(id)
            };
            let a = side(&f[0], &f[1], "Drug_A")?;
            let b = side(&f[2], &f[3], "Drug_B")?;
            if a == b {
                return Err(kb_error(format!(
                    "CSV line {line}: a drug paired with itself ({a})"
                )));
            }
            let level = Severity::parse(&f[4]).ok_or_else(|| {
                kb_error(format!(
                    "CSV line {line}: Level {:?} is not Major, Moderate, Minor or Unknown (an empty level is not Unknown)",
                    f[4]
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

    /// Adds an ATC class table: `code,name,parent` (parent may be empty). A code already present
    /// is refused unless it is the same.
    pub fn merge_atc_csv(&mut self, text: &str) -> Result<LoadReport> {
        let rows = records(text)?;
        let n = header(&rows, &["code", "name", "parent"])?;
        let mut report = LoadReport::default();
        for (line, f) in rows.iter().skip(1) {
            if f.len() < n - 1 {
                return Err(kb_error(format!(
                    "CSV line {line}: expected code,name,parent"
                )));
            }
            let code = f[0].trim();
            if code.is_empty() {
                return Err(kb_error(format!("CSV line {line}: code is empty")));
            }
            let parent = f
                .get(2)
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(str::to_string);
            let class = DrugClass {
                code: code.to_string(),
                name: f[1].trim().to_string(),
                parent,
            };
            report.rows += 1;
            match self.classes.iter().find(|c| c.code == code) {
                Some(c) if *c == class => {}
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
    fn quoted_fields_keep_commas_and_quotes() {
        let r = records("a,b\n\"x, y\",\"say \"\"hi\"\"\"\r\n\nlast,row").unwrap();
        assert_eq!(
            r[1],
            (2, vec!["x, y".to_string(), "say \"hi\"".to_string()])
        );
        assert_eq!(r[2], (4, vec!["last".to_string(), "row".to_string()]));
        assert!(
            records("a\n\"open")
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
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
}
