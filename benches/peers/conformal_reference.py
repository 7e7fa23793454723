"""statsforecast 2.1.1's conformal intervals on carparts, the reference
`forecasting/tests/statsforecast_parity.rs` checks apotheca's against: the first 150 complete
series, 39 training months, h = 3, levels 80 and 95, both conformal methods, 2 and 3 windows.

    python -m venv /tmp/sfenv && /tmp/sfenv/bin/pip install statsforecast==2.1.1
    /tmp/sfenv/bin/python benches/peers/conformal_reference.py > forecasting/tests/data/carparts_conformal_2.1.1.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import CrostonSBA, Naive, SimpleExponentialSmoothing
from statsforecast.utils import ConformalIntervals

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "carparts" / "carparts_complete_long.csv"
TRAIN, SERIES, H, LEVELS = 39, 150, 3, [80, 95]

df = pd.read_csv(DATA, parse_dates=["ds"])
df["y"] = df["y"].astype(float)
ids = df["unique_id"].drop_duplicates().head(SERIES)
train = df[df["unique_id"].isin(ids)].groupby("unique_id", sort=False).head(TRAIN)
parts = []
for method in ("conformal_distribution", "conformal_error"):
    for windows in (2, 3):
        pi = ConformalIntervals(h=H, n_windows=windows, method=method)
        models = {"croston_sba": CrostonSBA(prediction_intervals=pi),
                  "ses": SimpleExponentialSmoothing(alpha=0.1, prediction_intervals=pi),
                  "naive": Naive(prediction_intervals=pi)}
        for name, model in models.items():
            fc = StatsForecast(models=[model], freq="MS", n_jobs=1).forecast(df=train, h=H, level=LEVELS)
            col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
            out = pd.DataFrame({"unique_id": fc["unique_id"], "model": name, "method": method,
                                "windows": windows, "step": fc.groupby("unique_id").cumcount(),
                                "mean": fc[col]})
            for level in LEVELS:
                out[f"lo-{level}"] = fc[f"{col}-lo-{level}"]
                out[f"hi-{level}"] = fc[f"{col}-hi-{level}"]
            parts.append(out)
pd.concat(parts).to_csv(sys.stdout, index=False, float_format="%.17g")
