"""The Python examples under examples/ run as tests, so they cannot rot (mypy --strict checks
them too: see pyproject.toml)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from conftest import EXAMPLES

sys.path.insert(0, str(EXAMPLES / "python-forecast"))

import forecast_orders  # noqa: E402


def test_sales_to_forecasts_to_orders_to_a_png(tmp_path: Path) -> None:
    out = tmp_path / "forecast.png"
    suggestions = forecast_orders.main(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    sales = forecast_orders.sales_history()
    assert {s["product"] for s in suggestions} == set(sales["unique_id"])
    by = {s["product"]: s for s in suggestions}
    # PCM500 sells ~170 a week and 120 are on hand: an order, in whole packs of 10.
    assert by["PCM500"]["order"] > 0 and by["PCM500"]["order"] % 10 == 0


def test_the_bands_nest_around_the_forecast() -> None:
    sales = forecast_orders.sales_history()
    fc = forecast_orders.forecasts(sales)
    m = forecast_orders.MODEL
    assert len(fc) == 4 * sales["unique_id"].nunique()
    assert (fc["ds"] > sales["ds"].max()).all()
    assert ((fc[f"{m}-lo-95"] <= fc[f"{m}-lo-80"]) & (fc[f"{m}-lo-80"] <= fc[m])
            & (fc[m] <= fc[f"{m}-hi-80"]) & (fc[f"{m}-hi-80"] <= fc[f"{m}-hi-95"])).all()
    assert isinstance(fc, pd.DataFrame)
