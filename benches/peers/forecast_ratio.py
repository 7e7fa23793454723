"""statsforecast 2.1.1 (n_jobs=1) and apotheca on the same input in one run: carparts, 2,509
series, the first 39 months each, one forecast per series; prints the time of each and the
ratio per model.

    python -m venv /tmp/sfenv && /tmp/sfenv/bin/pip install statsforecast==2.1.1
    cargo build --release -p apotheca-benches --example forecast_carparts
    /tmp/sfenv/bin/python benches/peers/forecast_ratio.py
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    SimpleExponentialSmoothing,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "carparts" / "carparts_complete_long.csv"
TRAIN = 39

df = pd.read_csv(DATA, parse_dates=["ds"])
df["y"] = df["y"].astype(float)
train = df.groupby("unique_id", sort=False).head(TRAIN)
models = {
    "croston_classic": CrostonClassic(),
    "croston_sba": CrostonSBA(),
    "croston_optimized": CrostonOptimized(),
    "tsb": TSB(alpha_d=0.1, alpha_p=0.1),
    "adida": ADIDA(),
    "imapa": IMAPA(),
    "ses": SimpleExponentialSmoothing(alpha=0.1),
}
peer = {}
for name, model in models.items():
    sf = StatsForecast(models=[model], freq="MS", n_jobs=1)
    sf.forecast(df=train, h=1)  # warm-up
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        sf.forecast(df=train, h=1)
        best = min(best, time.perf_counter() - start)
    peer[name] = best

exe = ROOT / "target" / "release" / "examples" / "forecast_carparts"
out = subprocess.run([str(exe), str(DATA)], check=True, capture_output=True, text=True).stdout
ours = {line.split()[0]: float(line.split()[1]) for line in out.splitlines()}

print(f"{'model':18} {'statsforecast s':>16} {'apotheca s':>12} {'ratio':>8}")
for name in models:
    print(f"{name:18} {peer[name]:16.4f} {ours[name]:12.5f} {peer[name] / ours[name]:7.0f}x")
