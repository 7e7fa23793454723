"""Point forecasts of statsforecast 2.1.1 on carparts, the reference apotheca-forecasting must
reproduce: the first 39 months of each complete series as training data, one flat forecast per
model. Also prints statsforecast's time per model (n_jobs=1).

    python -m venv /tmp/sfenv && /tmp/sfenv/bin/pip install statsforecast==2.1.1
    /tmp/sfenv/bin/python benches/peers/statsforecast_reference.py > forecasting/tests/data/carparts_statsforecast_2.1.1.csv
"""

from __future__ import annotations

import sys
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

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "carparts" / "carparts_complete_long.csv"
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
out = None
for name, model in models.items():
    sf = StatsForecast(models=[model], freq="MS", n_jobs=1)
    sf.forecast(df=train.head(TRAIN * 10), h=1)  # warm-up (numba compilation)
    start = time.perf_counter()
    fc = sf.forecast(df=train, h=1)
    print(f"{name}: {time.perf_counter() - start:.3f} s", file=sys.stderr)
    col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
    part = fc[["unique_id", col]].rename(columns={col: name}).set_index("unique_id")
    out = part if out is None else out.join(part)
assert out is not None
out.to_csv(sys.stdout, float_format="%.17g")
