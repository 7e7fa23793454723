"""Fitted values with bands: apotheca's `fitted_frame(..., levels=[80, 95])` against statsforecast
2.1.1's `forecast_fitted_values()` on the first 300 car parts series, model by model (statsforecast
fails on a mix of models, and on fitted bands for its SES models). Prints, per column, the rows
whose value is missing on one side only, the bit-equal count and the largest relative difference;
statsforecast stores fitted values in float32, so ~6e-8 is its precision.

    /tmp/sfenv/bin/python benches/peers/fitted_bands.py
"""
from pathlib import Path

import numpy as np, pandas as pd, apotheca
from statsforecast import StatsForecast
from statsforecast.models import CrostonClassic, CrostonSBA, CrostonOptimized, TSB, ADIDA, IMAPA, SimpleExponentialSmoothingOptimized, SeasonalNaive, Naive, SimpleExponentialSmoothing
from statsforecast.utils import ConformalIntervals
df = pd.read_csv(Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "carparts" / "carparts_complete_long.csv", parse_dates=["ds"])
ids = df["unique_id"].unique()[:300]; df = df[df["unique_id"].isin(ids)]
ci = ConformalIntervals(h=1, n_windows=2)
sfm = [CrostonClassic(prediction_intervals=ci), CrostonSBA(prediction_intervals=ci), CrostonOptimized(prediction_intervals=ci), TSB(0.1,0.2,prediction_intervals=ci), ADIDA(prediction_intervals=ci), IMAPA(prediction_intervals=ci), SimpleExponentialSmoothingOptimized(prediction_intervals=ci), SimpleExponentialSmoothing(0.3, prediction_intervals=ci), SeasonalNaive(12, prediction_intervals=ci), Naive(prediction_intervals=ci)]
ourm = ["croston_classic", "croston_sba", "croston_optimized", ("TSB", {"name":"tsb","alpha_d":0.1,"alpha_p":0.2}), "adida", "imapa", ("SESOpt", "ses_optimized"), ("SES", {"name":"ses","alpha":0.3}), ("SeasonalNaive", {"name":"seasonal_naive","season":12}), "naive"]
for m, om in zip(sfm, ourm):
    sf = StatsForecast(models=[m], freq="MS", n_jobs=1)
    try:
        sf.forecast(df=df, h=1, fitted=True, level=[80, 95])
        ref = sf.forecast_fitted_values()
    except Exception as e:
        print(type(m).__name__, "statsforecast fails:", e); continue
    ours = apotheca.fitted_frame(df, [om], levels=[80, 95], on_error="raise", freq="MS")
    ours = ref[["unique_id","ds"]].astype({"unique_id": object}).merge(ours.astype({"unique_id": object}), on=["unique_id","ds"], how="left")
    name = [c for c in ours.columns if c not in ("unique_id","ds","y")][0]
    for c in ref.columns:
        if c in ("unique_id","ds","y"): continue
        oc = name + c[len(str(m)):] if c.startswith(str(m)) else c
        if oc not in ours.columns: print("missing", c, oc, ours.columns.tolist()); continue
        a = ref[c].to_numpy(); b = ours[oc].to_numpy()
        both = ~(np.isnan(a) | np.isnan(b))
        nanmis = (np.isnan(a) != np.isnan(b)).sum()
        rel = np.max(np.abs(a[both]-b[both]) / np.maximum(1e-12, np.abs(a[both]))) if both.any() else 0
        print(f"{c:40s} nan-mismatch {nanmis:5d} equal {np.sum(a[both]==b[both]):6d}/{both.sum()} maxrel {rel:.2e}")
