"""The same batch forecast as one `apotheca.forecast_frame` call, spread over a Spark cluster:
`groupBy("unique_id").applyInPandas(...)`, each group forecast by apotheca on its executor.

    python examples/python-spark/forecast_spark.py        # local[2] master, the demo's sales

Every series is forecast on its own, so the result equals the single-process call to the bit
(the test `bindings-python/tests/test_spark.py` checks it). See README.md beside this file for
running it on a real cluster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

import apotheca
from apotheca.types import Model

if TYPE_CHECKING:
    from pyspark.sql import DataFrame as SparkFrame
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

# (alias, model) pairs: the alias names each model's column block.
MODELS: list[tuple[str, str | Model]] = [("CrostonSBA", "croston_sba"), ("SES", "ses_optimized"),
                                         ("AutoETS", {"name": "auto_ets", "season": 1})]
LEVELS = [80, 95]


def output_schema(aliases: Sequence[str], levels: Sequence[int]) -> StructType:
    """The Spark schema of `forecast_frame`'s result with `on_error="fallback"`: per model its
    mean, its bands, the model that forecast each series and the error code (or null)."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType, TimestampType

    fields = [StructField("unique_id", StringType(), False),
              StructField("ds", TimestampType(), False)]
    for a in aliases:
        fields.append(StructField(a, DoubleType()))
        for level in levels:
            fields += [StructField(f"{a}-lo-{level}", DoubleType()),
                       StructField(f"{a}-hi-{level}", DoubleType())]
        fields += [StructField(f"{a}-model", StringType()), StructField(f"{a}-error", StringType())]
    return StructType(fields)


def forecast_group(pdf: pd.DataFrame, h: int, freq: str) -> pd.DataFrame:
    """One group's forecasts: what runs on an executor. `freq` is given, not inferred (a group
    with one date cannot show its frequency); one thread, as Spark already runs a task per core."""
    return apotheca.forecast_frame(pdf, MODELS, h=h, levels=LEVELS, freq=freq, threads=1,
                                   on_error="fallback")


def forecast_spark(sales: SparkFrame, h: int, freq: str) -> SparkFrame:
    """`forecast_frame` over a Spark frame of `unique_id, ds, y`, one group per series."""
    # Executors import this module to run `forecast_group`: ship it with the job.
    sales.sparkSession.sparkContext.addPyFile(__file__)

    def run(pdf: pd.DataFrame) -> pd.DataFrame:
        return forecast_group(pdf, h, freq)

    return sales.groupBy("unique_id").applyInPandas(
        run, schema=output_schema([a for a, _ in MODELS], LEVELS))


def local_spark(cores: int = 2) -> SparkSession:
    """A local Spark master with `cores` executors' worth of threads, UTC timestamps and Arrow
    transfers (what applyInPandas uses anyway)."""
    from pyspark.sql import SparkSession

    # Executors run this interpreter (the one apotheca is installed in).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (SparkSession.builder.master(f"local[{cores}]").appName("apotheca-forecast")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", str(2 * cores))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.ui.enabled", "false")
            .getOrCreate())


def demo_sales() -> pd.DataFrame:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python-forecast"))
    from forecast_orders import sales_history

    return sales_history()


def main() -> Any:
    sales = demo_sales()
    spark = local_spark()
    try:
        out = forecast_spark(spark.createDataFrame(sales), h=4, freq="W").toPandas()
    finally:
        spark.stop()
    print(out.sort_values(["unique_id", "ds"]).to_string(index=False, max_cols=8))
    return out


if __name__ == "__main__":
    main()
