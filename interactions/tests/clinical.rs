//! The clinical examples of the issue, on the built-in sample knowledge base.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca_interactions::*;

fn kb() -> InteractionGraph {
    sample().unwrap()
}

fn screen(meds: &[&str]) -> Screening {
    screen_with(meds, &[])
}

fn screen_with(meds: &[&str], allergies: &[&str]) -> Screening {
    kb().screen(&ScreenRequest {
        medications: meds.iter().map(|s| s.to_string()).collect(),
        context: PatientContext {
            allergies: allergies.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
        lean: false,
    })
    .unwrap()
}

fn find(s: &Screening, kind: AlertKind) -> Vec<&Alert> {
    s.alerts.iter().filter(|a| a.kind == kind).collect()
}

#[test]
fn warfarin_and_ibuprofen_is_major_through_the_nsaid_class() {
    let s = screen(&["Warfarin", "Brufen"]);
    let a = find(&s, AlertKind::Interaction);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Major);
    assert_eq!(a[0].rule.as_deref(), Some("S1"));
    assert_eq!(
        a[0].path,
        [
            "drug ibuprofen",
            "class M01AE (Propionic acid derivatives)",
            "class M01A (Anti-inflammatory and antirheumatic products, non-steroids (NSAIDs))",
            "rule S1 (major)",
            "drug warfarin"
        ]
    );
    assert!(a[0].management.as_deref().unwrap().contains("paracetamol"));
}

#[test]
fn the_drug_pair_rule_beats_the_class_rule() {
    let s = screen(&["simvastatin", "clarithromycin"]);
    let a = find(&s, AlertKind::Interaction);
    assert_eq!((a.len(), a[0].severity), (1, Severity::Contraindicated));
    assert_eq!(a[0].rule.as_deref(), Some("S2"));
    // Atorvastatin has no pair rule: the statin-class rule applies.
    let s = screen(&["atorvastatin", "clarithromycin"]);
    assert_eq!(
        find(&s, AlertKind::Interaction)[0].rule.as_deref(),
        Some("S3")
    );
}

#[test]
fn sertraline_and_tramadol_is_serotonergic() {
    let s = screen(&["sertraline", "tramadol"]);
    let a = find(&s, AlertKind::Interaction);
    assert_eq!(
        (a[0].severity, a[0].rule.as_deref()),
        (Severity::Major, Some("S4"))
    );
    assert!(
        a[0].effect
            .as_deref()
            .unwrap()
            .contains("Serotonin syndrome")
    );
    let r = find(&s, AlertKind::AdditiveRisk);
    assert_eq!(r.len(), 1);
    assert!(
        r[0].message
            .starts_with("Serotonergic load: summed weight 3"),
        "{}",
        r[0].message
    );
}

#[test]
fn a_penicillin_allergy_flags_amoxicillin() {
    let s = screen_with(&["amoxycillin"], &["penicillin"]);
    let a = find(&s, AlertKind::Allergy);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Major);
    assert!(
        a[0].message.contains("cross-sensitivity"),
        "{}",
        a[0].message
    );
    // An allergy given as a class, and to the drug itself.
    let s = screen_with(&["Augmentin"], &["J01C", "amoxicillin"]);
    let a = find(&s, AlertKind::Allergy);
    assert!(
        a.iter()
            .any(|x| x.severity == Severity::Contraindicated && x.drugs == ["amoxicillin"])
    );
    assert!(a.iter().any(|x| x.drugs == ["clavulanate"]));
    // Unknown allergens are reported, not dropped.
    let s = screen_with(&["amoxicillin"], &["unobtainium"]);
    assert_eq!(s.unknown, ["allergy: unobtainium"]);
}

#[test]
fn two_nsaids_are_duplicate_therapy() {
    let s = screen(&["ibuprofen", "diclofenac"]);
    let d = find(&s, AlertKind::DuplicateTherapy);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("NSAIDs"), "{}", d[0].message);
    // At level 4 they are different classes (propionic vs acetic acid derivatives).
    let s = kb()
        .screen(&ScreenRequest {
            medications: vec!["ibuprofen".into(), "diclofenac".into()],
            context: PatientContext {
                duplicate_class_level: Some(4),
                ..Default::default()
            },
            lean: false,
        })
        .unwrap();
    assert!(find(&s, AlertKind::DuplicateTherapy).is_empty());
}

#[test]
fn co_amoxiclav_expands_to_its_ingredients() {
    let s = screen(&["co-amoxiclav", "amoxicillin"]);
    assert_eq!(s.resolved[0].ingredients, ["amoxicillin", "clavulanate"]);
    let dup = find(&s, AlertKind::DuplicateDrug);
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].drugs, ["amoxicillin"]);
    // The same drug twice is a duplicate, not an interaction.
    assert!(find(&s, AlertKind::Interaction).is_empty());
    // Ingredients of one product are not screened against each other.
    let s = screen(&["Augmentin"]);
    assert!(s.alerts.is_empty(), "{:?}", s.alerts);
}

#[test]
fn class_pair_rules_and_combination_brands() {
    // Combiflam (ibuprofen + paracetamol) with lisinopril: ACE inhibitor + NSAID, class pair.
    let s = screen(&["Combiflam", "lisinopril", "warfarin"]);
    let rules: Vec<_> = find(&s, AlertKind::Interaction)
        .iter()
        .map(|a| a.rule.clone().unwrap())
        .collect();
    assert!(
        rules.contains(&"S9".to_string())
            && rules.contains(&"S1".to_string())
            && rules.contains(&"S12".to_string())
    );
    // Sorted most severe first.
    assert!(s.alerts.windows(2).all(|w| w[0].severity >= w[1].severity));
}

#[test]
fn additive_cns_depression_without_a_pair_rule() {
    let s = screen(&["diazepam", "diphenhydramine"]);
    assert!(find(&s, AlertKind::Interaction).is_empty());
    let r = find(&s, AlertKind::AdditiveRisk);
    assert_eq!((r.len(), r[0].severity), (1, Severity::Major));
}

#[test]
fn unknown_names_are_reported() {
    let s = screen(&["warfarin", "paracetmol"]);
    assert_eq!(s.unknown, ["paracetmol"]);
}

#[test]
fn misspellings_resolve_to_ranked_candidates() {
    let kb = kb();
    for (text, want) in [
        ("paracetmol", "paracetamol"),
        ("amoxycillin", "amoxicillin"),
        ("ibuprofin", "ibuprofen"),
        ("PARACÉTAMOL", "paracetamol"),
        ("tylenol", "paracetamol"),
    ] {
        let r = kb.resolve(text, 3);
        assert_eq!(r.candidates[0].drug, want, "{text}: {:?}", r.candidates);
    }
    let r = kb.resolve("ibuprofin", 3);
    assert_eq!(r.candidates[0].how, MatchKind::Fuzzy);
    assert!((r.candidates[0].score - 8.0 / 9.0).abs() < 1e-9);
    assert!(kb.resolve("xyzzy", 3).candidates.is_empty());
    // Strengths and forms in chat text are ignored.
    assert_eq!(
        kb.resolve("Amoxycillin 500mg caps", 3).candidates[0].drug,
        "amoxicillin"
    );
    assert_eq!(
        kb.resolve("paracetmol 650 mg", 3).candidates[0].drug,
        "paracetamol"
    );
}

#[test]
fn one_new_drug_against_the_current_list() {
    let s = kb()
        .check_new(&CheckRequest {
            drug: "ibuprofen".into(),
            current: vec!["warfarin".into(), "sertraline".into(), "tramadol".into()],
            context: PatientContext::default(),
            lean: false,
        })
        .unwrap();
    // Sertraline + tramadol is not about the new drug; warfarin + ibuprofen and bleeding are.
    assert!(
        s.alerts
            .iter()
            .all(|a| a.drugs.contains(&"ibuprofen".to_string()))
    );
    assert!(s.alerts.iter().any(|a| a.rule.as_deref() == Some("S1")));
    assert!(s.alerts.iter().any(|a| a.kind == AlertKind::AdditiveRisk));
}

#[test]
fn bad_knowledge_bases_name_the_field() {
    for (kb, want) in [
        (
            r#"{"drugs":[{"id":"a","name":"A","classes":["X"]}]}"#,
            "drugs[0].classes[0]: unknown class \"X\"",
        ),
        (
            r#"{"drugs":[{"id":"a","name":"A"}],"rules":[{"a":{"kind":"drug","id":"a"},"b":{"kind":"drug","id":"zz"}}]}"#,
            "rules[0].b: unknown drug \"zz\"",
        ),
        (
            r#"{"classes":[{"code":"A","name":"A","parent":"B"},{"code":"B","name":"B","parent":"A"}]}"#,
            "loops",
        ),
        (
            r#"{"drugs":[{"id":"a","name":"A"},{"id":"a","name":"B"}]}"#,
            "listed twice",
        ),
        (
            r#"{"drugs":[{"id":"a","name":"A","ingredients":["q"]}]}"#,
            "drugs[0].ingredients[0]",
        ),
        ("{\n\"drugs\": [}", "line 2"),
    ] {
        let e = InteractionGraph::from_json(kb).unwrap_err().to_string();
        assert!(e.contains(want), "{e} should mention {want}");
    }
}

#[test]
fn exports_for_ml_pipelines() {
    let kb = kb();
    assert_eq!(kb.edge_list().len(), kb.knowledge_base().rules.len());
    let adj = kb.adjacency().unwrap();
    let at = |d: &str| adj.drugs.iter().position(|x| x == d).unwrap();
    let (w, i) = (at("warfarin"), at("ibuprofen"));
    assert_eq!(adj.weights[[w, i]], 3.0);
    assert_eq!(adj.weights[[i, w]], 3.0);
    assert_eq!(adj.weights[[w, w]], 0.0);
    let m = kb.memberships();
    assert!(
        m.iter()
            .any(|x| x.drug == "ibuprofen" && x.class == "M01A" && !x.direct && x.level == 3)
    );
    let links = kb.predict_links(None, 10).unwrap();
    assert!(!links.is_empty());
    assert!(
        links
            .windows(2)
            .all(|w| w[0].adamic_adar >= w[1].adamic_adar)
    );
    for l in &links {
        assert_eq!(adj.weights[[at(&l.a), at(&l.b)]], 0.0, "{l:?} has a rule");
        assert!(l.jaccard > 0.0 && l.jaccard <= 1.0);
    }
    let for_warfarin = kb.predict_links(Some("warfarin"), 5).unwrap();
    assert!(
        for_warfarin
            .iter()
            .all(|l| l.a == "warfarin" || l.b == "warfarin")
    );
}

#[test]
fn the_compiled_graph_is_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<InteractionGraph>();
    let kb = std::sync::Arc::new(kb());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let kb = kb.clone();
            std::thread::spawn(move || screen_on(&kb, &["warfarin", "ibuprofen"]).alerts.len())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 2);
    }
}

fn screen_on(kb: &InteractionGraph, meds: &[&str]) -> Screening {
    kb.screen(&ScreenRequest {
        medications: meds.iter().map(|s| s.to_string()).collect(),
        context: PatientContext::default(),
        lean: false,
    })
    .unwrap()
}

/// Regression: a synonym of one drug equal to a brand of another resolved silently to the
/// first, and the second's major interaction was missed. Both are screened now.
#[test]
fn a_name_shared_by_two_drugs_screens_both() {
    let kb: KnowledgeBase = serde_json::from_value(serde_json::json!({
        "classes": [],
        "drugs": [
            {"id": "a", "name": "Alpha", "synonyms": ["Zeta"]},
            {"id": "b", "name": "Beta", "brands": ["Zeta"]},
            {"id": "c", "name": "Gamma"}
        ],
        "rules": [{"a": {"id": "b", "kind": "drug"}, "b": {"id": "c", "kind": "drug"},
                   "severity": "major"}]
    }))
    .unwrap();
    let g = InteractionGraph::build(kb).unwrap();
    let s = g
        .screen(&ScreenRequest {
            medications: vec!["zeta".into(), "gamma".into()],
            context: PatientContext {
                allergies: vec!["zeta".into()],
                ..Default::default()
            },
            lean: false,
        })
        .unwrap();
    println!("{}", serde_json::to_string_pretty(&s).unwrap());
    let major = find(&s, AlertKind::Interaction);
    assert_eq!(major.len(), 1);
    assert_eq!(
        (major[0].severity, major[0].drugs.clone()),
        (Severity::Major, vec!["b".to_string(), "c".to_string()])
    );
    let read: Vec<(&str, bool)> = s
        .resolved
        .iter()
        .map(|r| (r.drug.as_str(), r.ambiguous))
        .collect();
    assert_eq!(read, [("a", true), ("b", true), ("c", false)]);
    assert!(s.unknown.is_empty());
    // The allergy names both drugs too: an allergy alert for each (none for Gamma).
    let allergy = find(&s, AlertKind::Allergy);
    assert_eq!(
        allergy
            .iter()
            .map(|a| a.drugs[0].as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    // A single-drug lookup refuses to pick.
    assert_eq!(g.lookup("zeta"), None);
    assert_eq!(g.lookup_all("Zeta").len(), 2);
    assert!(
        g.predict_links(Some("zeta"), 5)
            .unwrap_err()
            .to_string()
            .contains("names 2 drugs")
    );
}
