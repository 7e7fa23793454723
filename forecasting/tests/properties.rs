//! Invariants: non-negative forecasts for non-negative demand (intermittent models), results
//! independent of series order and thread count (IMAPA and AutoETS), scale-equivariance of the
//! linear models (the lag regression included).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca_forecasting::*;
use proptest::prelude::*;

fn demand() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0.0), 1 => (1u32..40).prop_map(f64::from)],
        2..60,
    )
}

const INTERMITTENT: [Model; 7] = [
    Model::CrostonClassic,
    Model::CrostonSba,
    Model::CrostonOptimized,
    Model::Tsb {
        alpha_d: 0.1,
        alpha_p: 0.1,
    },
    Model::Adida,
    Model::Imapa,
    Model::Auto,
];

proptest! {
    #[test]
    fn intermittent_forecasts_are_non_negative(y in demand()) {
        for m in INTERMITTENT {
            let f = forecast(&y, m, 3, &[80.0], false).unwrap();
            prop_assert!(f.mean.iter().all(|v| *v >= 0.0 && v.is_finite()), "{:?}: {:?}", m, f.mean);
            prop_assert!(f.intervals[0].lo.iter().all(|v| *v >= 0.0));
        }
    }

    #[test]
    fn results_do_not_depend_on_series_order_or_threads(series in prop::collection::vec(demand(), 1..12), seed in any::<u64>(), ets in any::<bool>()) {
        // IMAPA, or AutoETS (whose optimiser runs alone per series too).
        let model = if ets { Model::AutoEts { season: 4 } } else { Model::Imapa };
        let base = forecast_many(&series, model, 2, &[], false, None);
        let mut order: Vec<usize> = (0..series.len()).collect();
        let mut s = seed;
        for i in (1..order.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        let shuffled: Vec<Vec<f64>> = order.iter().map(|&i| series[i].clone()).collect();
        let again = forecast_many(&shuffled, model, 2, &[], false, None);
        for (k, &i) in order.iter().enumerate() {
            prop_assert_eq!(&again[k].as_ref().unwrap().mean, &base[i].as_ref().unwrap().mean);
        }
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let single = one.install(|| forecast_many(&series, model, 2, &[], false, None));
        for (a, b) in single.iter().zip(&base) {
            prop_assert_eq!(&a.as_ref().unwrap().mean, &b.as_ref().unwrap().mean);
        }
    }

    #[test]
    fn a_batch_equals_each_series_alone(
        series in prop::collection::vec(prop_oneof![
            8 => demand(),
            // All zero, empty or all missing, a refused value, a long series.
            1 => (0usize..5).prop_map(|n| vec![0.0; n]),
            1 => Just(vec![f64::NAN, f64::NAN]),
            1 => demand().prop_map(|mut y| { y[1] = -2.0; y }),
            1 => (prop::collection::vec(0u32..9, 60..200)).prop_map(|v| v.into_iter().map(f64::from).collect()),
        ], 0..40),
        h in 0usize..4,
        conformal in any::<bool>(),
        levels in prop_oneof![Just(vec![]), Just(vec![80.0, 95.0]), Just(vec![50.0]), Just(vec![120.0])],
    ) {
        let ys: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
        let method = match conformal {
            true => IntervalMethod::ConformalError { n_windows: 2 },
            false => IntervalMethod::InSample,
        };
        let ses = |alpha, initial| Model::Ses { alpha, initial };
        let others = [
            Model::SesOptimized,
            ses(0.1, SesInitial::First),
            ses(0.3, SesInitial::MeanNonzero),
        ];
        for model in INTERMITTENT.into_iter().chain(others) {
            let batch = forecast_batch(&ys, model, h, &levels, false, method);
            prop_assert_eq!(batch.len(), ys.len());
            for (y, b) in ys.iter().zip(&batch) {
                let alone = forecast_with(y, model, h, &levels, false, method);
                match (b, &alone) {
                    (Ok(b), Ok(a)) => {
                        prop_assert_eq!((b.model, &b.method), (a.model, &a.method));
                        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        prop_assert_eq!(bits(&b.mean), bits(&a.mean), "{:?} {:?}", model, y);
                        prop_assert!(b.fitted.is_empty());
                        prop_assert_eq!(b.intervals.len(), a.intervals.len());
                        for (bi, ai) in b.intervals.iter().zip(&a.intervals) {
                            prop_assert_eq!(bi.level.to_bits(), ai.level.to_bits());
                            prop_assert_eq!(bits(&bi.lo), bits(&ai.lo), "{:?} {:?}", model, y);
                            prop_assert_eq!(bits(&bi.hi), bits(&ai.hi), "{:?} {:?}", model, y);
                        }
                    }
                    (Err(b), Err(a)) => prop_assert_eq!(b.to_string(), a.to_string()),
                    _ => prop_assert!(false, "{:?} {:?}: {:?} against {:?}", model, y, b, alone),
                }
            }
        }
    }

    #[test]
    fn linear_models_are_scale_equivariant(y in demand(), c in 1u32..1000) {
        let c = f64::from(c);
        let scaled: Vec<f64> = y.iter().map(|v| v * c).collect();
        for (m, tol) in [
            (Model::Naive, 1e-12),
            (Model::MovingAverage { window: 3 }, 1e-12),
            (Model::Ses { alpha: 0.2, initial: Default::default() }, 1e-12),
            (Model::CrostonClassic, 1e-12),
            (Model::Tsb { alpha_d: 0.1, alpha_p: 0.1 }, 1e-12),
        ] {
            // Not the golden-section models: where the SSE is flat in alpha (two aggregated
            // points), which bracket side the search keeps is decided by rounding, as in
            // statsforecast, so a scaled series may get another alpha.
            let a = forecast(&y, m, 1, &[], false).unwrap().mean[0] * c;
            let b = forecast(&scaled, m, 1, &[], false).unwrap().mean[0];
            prop_assert!((a - b).abs() <= tol * a.abs().max(1.0), "{:?}: {} vs {}", m, a, b);
        }
    }

    #[test]
    fn the_lag_regression_is_scale_equivariant(
        y in prop::collection::vec((1u32..40).prop_map(f64::from), 30..60),
        c in 1u32..1000,
    ) {
        // Least squares with an intercept: scaling the series scales the coefficients'
        // intercept and keeps the lag weights, so every forecast scales (up to rounding).
        let c = f64::from(c);
        let scaled: Vec<f64> = y.iter().map(|v| v * c).collect();
        let m = Model::Regression { lags: 2, season: 4 };
        let a = forecast(&y, m, 3, &[], false).unwrap().mean;
        let b = forecast(&scaled, m, 3, &[], false).unwrap().mean;
        for (x, z) in a.iter().zip(&b) {
            prop_assert!((x * c - z).abs() <= 1e-6 * z.abs().max(c), "{} vs {}", x * c, z);
        }
    }
}

#[test]
fn backtest_metrics_on_a_known_case() {
    // Naive on a line: every one-step forecast is 1 below the actual.
    let y: Vec<f64> = (1..=20).map(f64::from).collect();
    let b = backtest(
        &y,
        Model::Naive,
        &BacktestSpec {
            windows: 3,
            step: 1,
            h: 1,
            season: 1,
            levels: vec![],
        },
    )
    .unwrap();
    assert_eq!(b.origins, vec![17, 18, 19]);
    let m = &b.metrics;
    assert_eq!(
        (m.n, m.mae, m.rmse, m.bias, m.mase, m.rmsse),
        (3, 1.0, 1.0, -1.0, 1.0, 1.0)
    );
    let (per, pooled) = backtest_many(
        &[y.clone(), y],
        Model::Naive,
        &BacktestSpec {
            windows: 2,
            step: 2,
            h: 2,
            season: 1,
            levels: vec![80.0],
        },
    );
    assert_eq!(pooled.n, 8);
    assert!(per.iter().all(|r| r.is_ok()));
    assert_eq!(pooled.pinball.len(), 2);
}

#[test]
fn long_format_and_matrix() {
    use apotheca_forecasting::long::{Frequency, LongRow, series_from_long};
    let row = |id: &str, ds: &str, y: f64| LongRow {
        unique_id: id.into(),
        ds: ds.parse().unwrap(),
        y: Some(y),
    };
    let rows = [
        row("b", "2026-02-01", 2.0),
        row("a", "2026-01-01", 5.0),
        row("b", "2026-01-01", 1.0),
        row("a", "2026-02-01", 6.0),
    ];
    let series = series_from_long(&rows, Frequency::Month).unwrap();
    let ids: Vec<&str> = series.iter().map(|s| s.unique_id.as_str()).collect();
    assert_eq!(ids, ["b", "a"]);
    assert_eq!(
        (&series[0].y, &series[1].y),
        (&vec![1.0, 2.0], &vec![5.0, 6.0])
    );
    let m = ndarray::arr2(&[[1.0, 2.0, f64::NAN], [0.0, 0.0, 0.0]]);
    let f = forecast_matrix(m.view(), None, Model::Naive, 2, &[90.0]).unwrap();
    assert_eq!(f.mean.row(0).to_vec(), vec![2.0, 2.0]);
    assert_eq!(f.mean.row(1).to_vec(), vec![0.0, 0.0]);
    assert_eq!(f.lo.shape(), &[1, 2, 2]);
    assert_eq!(f.models.len(), 2);
    let f = forecast_matrix(m.view(), Some(&[1, 3]), Model::Naive, 1, &[]).unwrap();
    assert_eq!(f.mean[[0, 0]], 1.0);
}
