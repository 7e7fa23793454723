"""The PySpark example (groupBy().applyInPandas on a local[2] master) equals the
single-process forecast_frame to the bit. Skipped, with the reason, where PySpark or a JVM is
missing."""

from __future__ import annotations

import os
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

import apotheca
from conftest import EXAMPLES

pytest.importorskip("pyspark", reason="PySpark is not installed (pip could not install it)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no JVM on this machine: PySpark needs Java", allow_module_level=True)

sys.path.insert(0, str(EXAMPLES / "python-spark"))

import forecast_spark  # noqa: E402


def sales() -> pd.DataFrame:
    """The demo's 8 products plus 150 made-up series (intermittent, smooth and one with a
    single week, which falls back), weekly."""
    rng = np.random.default_rng(5)
    weeks = pd.date_range("2025-11-17", periods=52, freq="7D")
    frames = [forecast_spark.demo_sales()]
    for i in range(150):
        y = rng.poisson(0.6 if i % 2 else 25.0, size=52).astype(np.float64)
        frames.append(pd.DataFrame({"unique_id": f"SKU{i:03d}", "ds": weeks, "y": y}))
    frames.append(pd.DataFrame({"unique_id": ["NEW"], "ds": [weeks[-1]], "y": [3.0]}))
    return pd.concat(frames, ignore_index=True)


def ordered(df: pd.DataFrame) -> pd.DataFrame:
    df = df.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    return df.astype({"ds": "datetime64[ns]"})


def test_spark_equals_one_process_to_the_bit() -> None:
    data = sales()
    spark = forecast_spark.local_spark(2)
    try:
        got = forecast_spark.forecast_spark(spark.createDataFrame(data), h=4, freq="W").toPandas()
    finally:
        spark.stop()
    want = apotheca.forecast_frame(data, forecast_spark.MODELS, h=4, levels=forecast_spark.LEVELS,
                                   freq="W", on_error="fallback")
    got, want = ordered(got), ordered(want)
    assert list(got.columns) == list(want.columns)
    assert len(got) == 4 * data["unique_id"].nunique()
    new = got[got["unique_id"] == "NEW"]
    assert len(new) == 4 and new["SES"].notna().all()
    for col in want.columns:
        if want[col].dtype == np.float64:
            assert np.array_equal(got[col].to_numpy(), want[col].to_numpy(), equal_nan=True), col
        else:
            assert got[col].fillna("").tolist() == want[col].fillna("").tolist(), col
