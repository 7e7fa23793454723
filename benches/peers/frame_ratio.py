"""From a pandas DataFrame to a forecast DataFrame, as a data scientist calls it: statsforecast
2.1.1 (``n_jobs=1``) against ``apotheca.forecast_frame(..., threads=1)`` on the same frame in one
run. The time includes everything the caller waits for: grouping, the calendar, the fit, the
future dates and the result frame. Also prints what ``levels=[80, 95]`` costs apotheca against
its point forecast, and how many of apotheca's point forecasts equal statsforecast's to the bit.

    python -m venv /tmp/sfenv && /tmp/sfenv/bin/pip install statsforecast==2.1.1 pyarrow polars
    (cd bindings-python && /tmp/sfenv/bin/pip install maturin && /tmp/sfenv/bin/maturin build --release)
    /tmp/sfenv/bin/pip install --force-reinstall target/wheels/apotheca-*.whl
    /tmp/sfenv/bin/python benches/peers/frame_ratio.py            # car parts and retail
    /tmp/sfenv/bin/python benches/peers/frame_ratio.py carparts   # one set
    /tmp/sfenv/bin/python benches/peers/frame_ratio.py --fixed carparts   # without AutoETS

Sets: ``carparts`` (2,509 monthly series, 51 months, ../shared/data/carparts) and ``retail``
(15,108 weekly series of 133 weeks, 2.0 M rows, intermittent demand drawn from a seeded
generator: the shape of the retail set the issue measured, which is not redistributable).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    SeasonalNaive,
    SimpleExponentialSmoothing,
)

from statsforecast.utils import ConformalIntervals

import apotheca

ROOT = Path(__file__).resolve().parents[2]
CARPARTS = ROOT / ".." / "shared" / "data" / "carparts" / "carparts_complete_long.csv"


def carparts() -> tuple[pd.DataFrame, str, int]:
    df = pd.read_csv(CARPARTS, parse_dates=["ds"])
    # float64, as the retail set: statsforecast computes integer targets in float32.
    df["y"] = df["y"].astype(np.float64)
    return df, "MS", 12


def retail() -> tuple[pd.DataFrame, str, int]:
    rng = np.random.default_rng(20261203)
    n, t = 15_108, 133
    rate = rng.gamma(0.6, 2.0, size=(n, 1))
    sale = rng.random((n, t)) < rng.uniform(0.1, 0.9, size=(n, 1))
    y = np.where(sale, rng.poisson(rate + 0.5, size=(n, t)), 0).astype(np.float64)
    ids = np.repeat([f"STORE{i % 40:02d}_ITEM{i:05d}" for i in range(n)], t)
    ds = np.tile(pd.date_range("2023-01-01", periods=t, freq="W-SUN").values, n)
    return pd.DataFrame({"unique_id": ids, "ds": ds, "y": y.ravel()}), "W-SUN", 1


def best(f: Callable[[], Any], runs: int) -> tuple[float, Any]:
    out = f()  # warm-up (numba compiles statsforecast's models on first use)
    top = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        out = f()
        top = min(top, time.perf_counter() - start)
    return top, out


def main() -> None:
    sets = {"carparts": carparts, "retail": retail}
    args = sys.argv[1:]
    # --fixed: leave out AutoETS (statsforecast takes ~85 s a run on car parts).
    fixed = "--fixed" in args
    chosen = [a for a in args if a != "--fixed"] or list(sets)
    print(f"{'set':9} {'model':16} {'statsforecast s':>15} {'apotheca s':>11} {'ratio':>7} "
          f"{'levels/point':>12} {'bit-equal':>14}")
    for name in chosen:
        df, freq, season = sets[name]()
        models: list[tuple[str, Any, Any]] = [
            ("CrostonClassic", CrostonClassic(), "croston_classic"),
            ("CrostonSBA", CrostonSBA(), "croston_sba"),
            ("CrostonOptimized", CrostonOptimized(), "croston_optimized"),
            ("TSB", TSB(alpha_d=0.1, alpha_p=0.1),
             ("TSB", {"name": "tsb", "alpha_d": 0.1, "alpha_p": 0.1})),
            ("ADIDA", ADIDA(), "adida"),
            ("SES", SimpleExponentialSmoothing(alpha=0.1), ("SES", {"name": "ses", "alpha": 0.1})),
            ("IMAPA", IMAPA(), "imapa"),
            ("SeasonalNaive", SeasonalNaive(season_length=season),
             ("SeasonalNaive", {"name": "seasonal_naive", "season": season})),
            ("AutoETS", AutoETS(season_length=season),
             ("AutoETS", {"name": "auto_ets", "season": season})),
        ]
        runs = 7 if len(df) < 500_000 else 1
        if fixed:
            models = [m for m in models if m[0] != "AutoETS"]
        for col, peer_model, ours_model in models:
            sf = StatsForecast(models=[peer_model], freq=freq, n_jobs=1)
            t_peer, theirs = best(lambda: sf.forecast(df=df, h=3), runs)
            t_ours, ours = best(lambda: apotheca.forecast_frame(df, ours_model, 3, threads=1), runs)
            t_lv, _ = best(lambda: apotheca.forecast_frame(df, ours_model, 3, levels=[80, 95],
                                                           threads=1), runs)
            theirs = theirs.reset_index() if "unique_id" not in theirs.columns else theirs
            both = theirs.merge(ours, on=["unique_id", "ds"], suffixes=("_sf", ""))
            assert len(both) == len(ours) == len(theirs), (len(both), len(ours), len(theirs))
            a, b = both[f"{col}_sf"].to_numpy(), both[col].to_numpy()
            same = int(np.sum((a == b.astype(a.dtype)) | (np.isnan(a) & np.isnan(b))))
            print(f"{name:9} {col:16} {t_peer:15.3f} {t_ours:11.3f} {t_peer / t_ours:6.1f}x "
                  f"{t_lv / t_ours:11.2f}x {same:>8}/{len(a)}", flush=True)
        conformal(name, df, freq, runs)


def conformal(name: str, df: pd.DataFrame, freq: str, runs: int) -> None:
    """Conformal intervals (2 windows of 3, levels 80 and 95): time with the intervals, and how
    many bounds equal statsforecast's to the bit."""
    pi = ConformalIntervals(h=3, n_windows=2)
    ours_pi: Any = {"method": "conformal_distribution", "n_windows": 2}
    for col, peer_model, ours_model in [
        ("CrostonSBA", CrostonSBA(prediction_intervals=pi), "croston_sba"),
        ("SES", SimpleExponentialSmoothing(alpha=0.1, prediction_intervals=pi),
         ("SES", {"name": "ses", "alpha": 0.1})),
    ]:
        sf = StatsForecast(models=[peer_model], freq=freq, n_jobs=1)
        t_peer, theirs = best(lambda: sf.forecast(df=df, h=3, level=[80, 95]), runs)
        t_ours, ours = best(lambda: apotheca.forecast_frame(
            df, ours_model, 3, levels=[80, 95], intervals=ours_pi, threads=1), runs)
        both = theirs.merge(ours, on=["unique_id", "ds"], suffixes=("_sf", ""))
        cols = [f"{col}-{b}-{lv}" for b in ("lo", "hi") for lv in (80, 95)]
        same = sum(int(np.sum(both[f"{c}_sf"].to_numpy() == both[c].to_numpy())) for c in cols)
        print(f"{name:9} {col + ' conformal':16} {t_peer:15.3f} {t_ours:11.3f} "
              f"{t_peer / t_ours:6.1f}x {'':>12} {same:>8}/{len(both) * len(cols)}", flush=True)


if __name__ == "__main__":
    main()
