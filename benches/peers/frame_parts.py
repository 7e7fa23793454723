"""Where one ``apotheca.forecast_frame`` call on car parts spends its time, from Python: the id
column read from its Python objects, the three columns as an Arrow table, the engine alone
(grouping, calendar, fit, result table), the result turned back into a pandas frame, and the
whole call (SES, alpha 0.1, 3 months, one thread; best of N after a warm-up). The parts sum to
less than the whole: each step allocates fresh buffers and finds the caches cold. With
``retail``, the 2 M-row frame of ``frame_ratio.py`` instead.

    /tmp/sfenv/bin/python benches/peers/frame_parts.py            # car parts, best of 300
    /tmp/sfenv/bin/python benches/peers/frame_parts.py retail 5
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import apotheca
from apotheca import _frames
from apotheca._native import forecast_frame as native
from frame_ratio import carparts, retail


def best(f: Callable[[], Any], runs: int) -> float:
    f()
    top = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        f()
        top = min(top, time.perf_counter() - start)
    return top * 1e3


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "carparts"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    df, _, _ = {"carparts": carparts, "retail": retail}[which]()
    model: Any = ("SES", {"name": "ses", "alpha": 0.1})
    names = ("unique_id", "ds", "y")
    spec = _frames._spec(model, 3, (), None, *names, "fallback", 1, None)
    table = _frames._columns(df, names)
    result = native(table, spec, None)
    for part, f in [
        ("id column", lambda: _frames._arrow(df["unique_id"], "unique_id")),
        ("three columns", lambda: _frames._columns(df, names)),
        ("engine", lambda: native(table, spec, None)),
        ("result frame", lambda: _frames._back(df, "unique_id", result)),
        ("whole call", lambda: apotheca.forecast_frame(df, model, 3, threads=1)),
    ]:
        print(f"{which} {part:14} {best(f, runs):8.3f} ms")


if __name__ == "__main__":
    main()
