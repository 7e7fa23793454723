//! Invariants of screening over generated medication lists from the sample knowledge base.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::OnceLock;

use apotheca_interactions::*;
use proptest::prelude::*;

fn kb() -> &'static InteractionGraph {
    static KB: OnceLock<InteractionGraph> = OnceLock::new();
    KB.get_or_init(|| sample().unwrap())
}

fn names() -> Vec<String> {
    let mut v: Vec<String> = kb()
        .knowledge_base()
        .drugs
        .iter()
        .flat_map(|d| std::iter::once(d.id.clone()).chain(d.brands.iter().cloned()))
        .collect();
    v.push("not-a-drug".into());
    v
}

fn list() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::sample::select(names()), 0..8)
}

fn allergies() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::sample::select(vec![
            "penicillin".to_string(),
            "J01C".into(),
            "M01A".into(),
            "sertraline".into(),
        ]),
        0..2,
    )
}

fn screen(meds: &[String], allergies: &[String]) -> Screening {
    screen_as(meds, allergies, false)
}

fn screen_as(meds: &[String], allergies: &[String], lean: bool) -> Screening {
    kb().screen(&ScreenRequest {
        medications: meds.to_vec(),
        context: PatientContext {
            allergies: allergies.to_vec(),
            ..Default::default()
        },
        lean,
    })
    .unwrap()
}

proptest! {
    #[test]
    fn screening_is_order_independent_and_symmetric(meds in list(), al in allergies(), seed in any::<u64>()) {
        let mut shuffled = meds.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let (a, b) = (screen(&meds, &al), screen(&shuffled, &al));
        prop_assert_eq!(&a.alerts, &b.alerts);
        let (mut ua, mut ub) = (a.unknown.clone(), b.unknown.clone());
        ua.sort();
        ub.sort();
        prop_assert_eq!(ua, ub);
    }

    #[test]
    fn no_alert_refers_to_a_drug_not_in_the_list(meds in list(), al in allergies()) {
        let s = screen(&meds, &al);
        let ingredients: Vec<&String> = s.resolved.iter().flat_map(|r| &r.ingredients).collect();
        for a in &s.alerts {
            prop_assert!(!a.drugs.is_empty());
            for d in &a.drugs {
                prop_assert!(ingredients.contains(&d), "{} not in the list {:?}", d, meds);
            }
            for e in &a.entries {
                prop_assert!(meds.contains(e));
            }
        }
    }

    #[test]
    fn adding_a_drug_never_removes_an_alert(meds in list(), extra in prop::sample::select(names()), al in allergies()) {
        let before = screen(&meds, &al);
        let mut more = meds.clone();
        more.push(extra);
        let after = screen(&more, &al);
        for a in &before.alerts {
            let kept = after.alerts.iter().any(|b| {
                b.kind == a.kind
                    && b.severity >= a.severity
                    && a.drugs.iter().all(|d| b.drugs.contains(d))
                    && (a.kind == AlertKind::AdditiveRisk || a.drugs == b.drugs)
            });
            prop_assert!(kept, "{:?} lost after adding to {:?}", a.message, meds);
        }
    }

    #[test]
    fn resolution_finds_every_name_exactly(i in 0usize..38) {
        let d = &kb().knowledge_base().drugs[i % kb().knowledge_base().drugs.len()];
        let r = kb().resolve(&d.name.to_uppercase(), 5);
        prop_assert!(r.candidates.iter().any(|c| c.drug == d.id && c.score == 1.0));
    }

    #[test]
    fn a_lean_screen_is_the_full_screen_without_its_texts(meds in list(), al in allergies()) {
        let mut full = screen(&meds, &al);
        for a in &mut full.alerts {
            (a.mechanism, a.effect, a.management, a.evidence, a.source) = (None, None, None, None, None);
            a.path.clear();
            a.message.clear();
        }
        prop_assert_eq!(screen_as(&meds, &al, true), full);
    }

    #[test]
    fn alerts_come_most_severe_first_then_by_kind_drug_ids_and_message(meds in list(), al in allergies()) {
        for lean in [false, true] {
            let alerts = screen_as(&meds, &al, lean).alerts;
            for a in &alerts {
                prop_assert!(a.drugs.windows(2).all(|w| w[0] < w[1]), "{:?}", a.drugs);
            }
            for w in alerts.windows(2) {
                let key = |a: &Alert| (std::cmp::Reverse(a.severity), a.kind, a.drugs.clone(), a.message.clone());
                prop_assert!(key(&w[0]) <= key(&w[1]), "{:?} before {:?}", w[0], w[1]);
            }
        }
    }
}
