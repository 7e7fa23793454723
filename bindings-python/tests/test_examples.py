"""The Python examples under examples/ run as tests, so they cannot rot (mypy --strict checks
them too: see pyproject.toml)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

from conftest import EXAMPLES

sys.path.insert(0, str(EXAMPLES / "python-forecast"))
sys.path.insert(0, str(EXAMPLES / "python-counter"))

import counter  # noqa: E402
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


def test_the_counter_prices_and_screens_a_prescription() -> None:
    inv, s = counter.main()
    # Within the state: CGST = SGST; the sale rounded to the rupee and written out.
    assert [(t["name"], t["amount"]) for t in inv["taxes"]] == [("CGST", Decimal("3.21")),
                                                                ("SGST", Decimal("3.21"))]
    assert inv["totals"]["grand_total"] == Decimal("135.00")
    assert inv["amount_in_words"] == "Rupees One Hundred Thirty Five Only"
    # Across states: one IGST; the MRP still includes it, so the customer pays the same.
    other = counter.invoice(place_of_supply="TN")
    assert [t["name"] for t in other["taxes"]] == ["IGST"]
    assert other["totals"]["total_before_round_off"] == inv["totals"]["total_before_round_off"]
    # Warfarin with a brand of ibuprofen: a major interaction first; the misspelling suggested.
    assert (s["alerts"][0]["severity"], s["alerts"][0]["kind"]) == ("major", "interaction")
    assert s["unknown"] == ["paracetmol 500"]
    assert s["suggestions"][0]["candidates"][0]["drug"] == "paracetamol"
