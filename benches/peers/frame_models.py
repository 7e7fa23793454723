"""One ``apotheca.forecast_frame`` call per model on car parts, 3 months ahead as
``frame_ratio.py`` asks, point forecast and with 80/95 % intervals (one thread, best of N after
a warm-up), in milliseconds: for A/B runs of two wheels
in one sitting (install one, run, install the other, run, and again).

    /tmp/sfenv/bin/python benches/peers/frame_models.py                       # the searching models, SES, Croston
    /tmp/sfenv/bin/python benches/peers/frame_models.py imapa adida 30        # chosen models, best of 30
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import apotheca
from frame_ratio import best, carparts


def main() -> None:
    args = sys.argv[1:]
    runs = int(args.pop()) if args and args[-1].isdigit() else 15
    names = args or ["croston_optimized", "adida", "imapa", "ses", "croston_classic"]
    df, _freq, season = carparts()
    for name in names:
        model: dict[str, object] = {"name": name}
        if name == "ses":
            model["alpha"] = 0.1
        if name == "seasonal_naive":
            model["season"] = season
        if name == "tsb":
            model["alpha_d"] = model["alpha_p"] = 0.1
        point, _ = best(lambda: apotheca.forecast_frame(df, [model], 3, threads=1), runs)
        bands, _ = best(
            lambda: apotheca.forecast_frame(df, [model], 3, levels=[80, 95], threads=1),
            max(runs // 2, 1),
        )
        print(f"{name:18s} {point * 1e3:7.2f} ms  levels {bands * 1e3:7.2f} ms")


if __name__ == "__main__":
    main()
