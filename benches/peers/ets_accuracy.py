"""AutoETS and Holt-Winters: statsforecast 2.1.1 (n_jobs=1) and apotheca on the same input in one
run. carparts, 2,509 series: train on the first 39 months, forecast the last 12, score each
series by MASE (scaled by the in-sample one-step naive error; series whose training data is
constant have no scale and are left out), and print the mean MASE of each side, the ratio of
the two, the share of series where both chose the same ETS model, and the time ratio.

    python -m venv /tmp/sfenv && /tmp/sfenv/bin/pip install statsforecast==2.1.1
    cargo build --release -p apotheca-benches --example forecast_carparts
    /tmp/sfenv/bin/python benches/peers/ets_accuracy.py [--write forecasting/tests/data/carparts_autoets_2.1.1.csv]

With `--write`, statsforecast's per-series MASE and chosen model go to that file, which
`forecasting/tests/statsforecast_parity.rs` compares against.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoETS, HoltWinters

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "carparts" / "carparts_complete_long.csv"
TRAIN, H, M = 39, 12, 12

df = pd.read_csv(DATA, parse_dates=["ds"])
df["y"] = df["y"].astype(float)
ids = list(dict.fromkeys(df["unique_id"]))
series = {k: g["y"].to_numpy() for k, g in df.groupby("unique_id", sort=False)}
train = df.groupby("unique_id", sort=False).head(TRAIN)


def mase(y: np.ndarray, f: np.ndarray) -> float:
    scale = np.mean(np.abs(np.diff(y[:TRAIN])))
    if scale == 0:
        return np.nan
    return float(np.mean(np.abs(y[TRAIN:] - f)) / scale)


def name_of(components: str) -> str:
    e, t, s, d = components
    return f"ETS({e},{t}{'d' if d == 'D' else ''},{s})"


peer_time, peer_mase, peer_model = {}, {}, {}
for name, model in {"auto_ets": AutoETS(season_length=M), "holt_winters": HoltWinters(season_length=M)}.items():
    sf = StatsForecast(models=[model], freq="MS", n_jobs=1)
    sf.forecast(df=train.head(TRAIN * 5), h=H)  # warm-up
    start = time.perf_counter()
    sf.fit(df=train)
    fc = sf.predict(h=H)
    peer_time[name] = time.perf_counter() - start
    col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
    by_id = {k: g[col].to_numpy() for k, g in fc.groupby("unique_id", sort=False)}
    peer_mase[name] = {k: mase(series[k], by_id[k]) for k in ids}
    if name == "auto_ets":
        peer_model = {uid: name_of(fm.model_["components"]) for uid, fm in zip(sf.uids, sf.fitted_[:, 0])}

exe = ROOT / "target" / "release" / "examples" / "forecast_carparts"
out = subprocess.run([str(exe), str(DATA), "--ets"], check=True, capture_output=True, text=True).stdout
ours_time, ours_fc, ours_model = {}, {"auto_ets": {}, "holt_winters": {}}, {}
for line in out.splitlines():
    parts = line.split(",")
    if parts[0] == "time":
        ours_time[parts[1]] = float(parts[2])
    else:
        name, uid, model = parts[0], parts[1], parts[2].replace(";", ",")
        ours_fc[name][uid] = np.array([float(v) for v in parts[3:]])
        if name == "auto_ets":
            ours_model[uid] = model

if "--write" in sys.argv:
    with open(sys.argv[sys.argv.index("--write") + 1], "w") as f:
        f.write("unique_id,model,auto_ets_mase,holt_winters_mase\n")
        for k in ids:
            f.write(f"{k},{peer_model[k]},{peer_mase['auto_ets'][k]:.17g},{peer_mase['holt_winters'][k]:.17g}\n")

print(f"{'model':14} {'sf MASE':>9} {'ours MASE':>10} {'ours/sf':>8} {'sf s':>8} {'ours s':>8} {'speed':>7}")
for name in ("auto_ets", "holt_winters"):
    ours_m = {k: mase(series[k], ours_fc[name][k]) for k in ids}
    keep = [k for k in ids if not np.isnan(peer_mase[name][k])]
    a = np.mean([peer_mase[name][k] for k in keep])
    b = np.mean([ours_m[k] for k in keep])
    print(
        f"{name:14} {a:9.4f} {b:10.4f} {b / a:8.4f} {peer_time[name]:8.2f} {ours_time[name]:8.3f} {peer_time[name] / ours_time[name]:6.0f}x"
    )
same = np.mean([peer_model[k] == ours_model[k] for k in ids])
print(f"same AutoETS model chosen: {same:.1%} of {len(ids)} series")
