"""A year of weekly sales (a pandas long frame) → four weeks of forecasts with 80 % and 95 %
bands → this week's orders → a PNG of actuals, forecasts and bands per product.

    python examples/python-forecast/forecast_orders.py [OUT.png]

The sales are the pharmacy-day demo's (made-up, `examples/pharmacy-day/data/day.json`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: render to a file
import matplotlib.pyplot as plt
import pandas as pd

import apotheca
from apotheca.types import StockPosition, Suggestion

DAY = Path(__file__).resolve().parents[1] / "pharmacy-day" / "data" / "day.json"
MODEL = "SES"  # the column block the orders and the plot read


def sales_history(path: Path = DAY) -> pd.DataFrame:
    """The demo's weekly sales as a long frame: unique_id, ds (week start), y."""
    f = json.loads(path.read_text())["forecasting"]
    weeks = pd.date_range(f["first_week"], periods=52, freq="7D")
    rows = [
        {"unique_id": product, "ds": weeks[i], "y": float(v)}
        for product, y in f["history"].items()
        for i, v in enumerate(y)
    ]
    return pd.DataFrame(rows)


def forecasts(sales: pd.DataFrame, h: int = 4) -> pd.DataFrame:
    """h weeks of ses_optimized forecasts with 80 % and 95 % bands, one row per week."""
    return apotheca.forecast_frame(sales, [(MODEL, "ses_optimized")], h=h, levels=[80, 95],
                                   freq="W", on_error="raise")


def orders(sales: pd.DataFrame, fc: pd.DataFrame, on_hand: dict[str, float]) -> list[Suggestion]:
    """This week's orders: mean forecast demand, σ from the in-sample one-step errors."""
    fitted = apotheca.fitted_frame(sales, [(MODEL, "ses_optimized")], freq="W")
    err = (fitted["y"] - fitted[MODEL]).pow(2).groupby(fitted["unique_id"]).mean().pow(0.5)
    mean = fc.groupby("unique_id")[MODEL].mean()
    positions: list[StockPosition] = [
        {"product": str(p), "mean_demand": float(mean[p]), "sigma": float(err[p]),
         "on_hand": on_hand.get(str(p), 0.0), "on_order": 0.0, "lead_time": 2.0,
         "review_period": 4.0, "service_level": 0.95, "pack_size": 10.0, "moq": 10.0}
        for p in mean.index
    ]
    return apotheca.suggest_orders(positions)


def plot(sales: pd.DataFrame, fc: pd.DataFrame, out: Path) -> None:
    """One panel per product: the last 26 weeks, the forecast and its two bands."""
    products = list(dict.fromkeys(sales["unique_id"]))
    fig, axes = plt.subplots(len(products), 1, figsize=(8, 2.2 * len(products)), sharex=True)
    for ax, p in zip(axes, products):
        s = sales[sales["unique_id"] == p].tail(26)
        f = fc[fc["unique_id"] == p]
        ax.plot(s["ds"], s["y"], color="black", lw=1, label="sales")
        ax.plot(f["ds"], f[MODEL], color="tab:blue", lw=1.5, label="forecast")
        for level, alpha in ((95, 0.15), (80, 0.3)):
            ax.fill_between(f["ds"], f[f"{MODEL}-lo-{level}"], f[f"{MODEL}-hi-{level}"],
                            color="tab:blue", alpha=alpha, lw=0, label=f"{level} %")
        ax.set_title(p, loc="left", fontsize=9)
    axes[0].legend(loc="upper left", fontsize=7, ncol=4)
    fig.tight_layout()
    fig.savefig(out, dpi=80)
    plt.close(fig)


def main(out: Path) -> list[Suggestion]:
    sales = sales_history()
    fc = forecasts(sales)
    suggestions = orders(sales, fc, on_hand={"PCM500": 120.0, "AMOX500": 40.0})
    plot(sales, fc, out)
    for s in suggestions:
        print(f"{s['product']:<8} order {s['order']:>5.0f}  (cover {s['cover']:.1f} weeks)")
    return suggestions


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "forecast.png"))
