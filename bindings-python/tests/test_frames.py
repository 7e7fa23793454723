"""forecast_frame, cross_validation_frame and fitted_frame: pandas, polars and pyarrow frames in
and out over Arrow, statsforecast's shapes, per-series outcomes, progress and interruption."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import apotheca

RNG = np.random.default_rng(11)
N, T = 30, 24
Y = RNG.poisson(1.5, size=(N, T)).astype(np.float64)
MONTHS = pd.date_range("2024-01-01", periods=T, freq="MS")
ETS: Any = {"name": "auto_ets", "season": 12}


def long_frame(y: np.ndarray = Y) -> pd.DataFrame:
    n, t = y.shape
    return pd.DataFrame({
        "unique_id": np.repeat([f"SKU{i:03d}" for i in range(n)], t),
        "ds": np.tile(pd.date_range("2024-01-01", periods=t, freq="MS").values, n),
        "y": y.reshape(-1),
    })


def test_pandas_in_pandas_out_shaped_as_statsforecast() -> None:
    out = apotheca.forecast_frame(long_frame(), ["croston_sba", ("SES", "ses_optimized")], h=3,
                                  levels=[80, 95], on_error="raise")
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [
        "unique_id", "ds",
        "CrostonSBA", "CrostonSBA-lo-80", "CrostonSBA-hi-80", "CrostonSBA-lo-95", "CrostonSBA-hi-95",
        "SES", "SES-lo-80", "SES-hi-80", "SES-lo-95", "SES-hi-95",
    ]
    assert len(out) == N * 3
    assert out["unique_id"].tolist()[:4] == ["SKU000"] * 3 + ["SKU001"]
    assert pd.api.types.is_datetime64_any_dtype(out["ds"])
    assert out["ds"].iloc[:3].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert (out["CrostonSBA-lo-95"] <= out["CrostonSBA-lo-80"]).all()
    assert (out["SES-hi-80"] <= out["SES-hi-95"]).all()


@pytest.mark.parametrize("model", [{"name": "croston_sba"}, {"name": "imapa"}, {"name": "ses_optimized"}, {"name": "auto_ets", "season": 12}])
def test_the_numbers_are_forecast_matrix_s_to_the_bit(model: Any) -> None:
    out = apotheca.forecast_frame(long_frame(), [model], h=4, levels=[90], on_error="raise")
    ref = apotheca.forecast_matrix(Y, model, 4, [90.0])
    name = [c for c in out.columns if c not in ("unique_id", "ds")][0]
    assert out[name].to_numpy().reshape(N, 4).tolist() == ref["mean"].tolist()
    assert out[f"{name}-lo-90"].to_numpy().reshape(N, 4).tolist() == ref["lo"][0].tolist()
    assert out[f"{name}-hi-90"].to_numpy().reshape(N, 4).tolist() == ref["hi"][0].tolist()


def test_polars_and_pyarrow_come_back_as_they_went_in() -> None:
    df = long_frame()
    pd_out = apotheca.forecast_frame(df, "naive", h=2, on_error="raise")
    pl_in = pl.from_pandas(df)
    pl_out = apotheca.forecast_frame(pl_in, "naive", h=2, on_error="raise")
    pa_out = apotheca.forecast_frame(pa.Table.from_pandas(df), "naive", h=2, on_error="raise")
    assert isinstance(pl_out, pl.DataFrame) and isinstance(pa_out, pa.Table)
    assert pl_out["Naive"].to_list() == pa_out.column("Naive").to_pylist() == pd_out["Naive"].tolist()
    # The unit polars gave the dates (us or ns, by version) comes back.
    assert pl_out.schema["ds"] == pl_in.schema["ds"]


def test_native_function_takes_any_arrow_stream_and_returns_one() -> None:
    table = apotheca._native.forecast_frame(pa.Table.from_pandas(long_frame()),
                                            {"models": [{"model": {"name": "naive"}}], "horizon": 1})
    assert hasattr(table, "__arrow_c_stream__")
    assert pa.table(table).num_rows == N


def test_ids_of_any_type_and_dates_of_any_kind() -> None:
    df = long_frame()
    cat = df.assign(unique_id=df["unique_id"].astype("category"))
    ints = df.assign(unique_id=df["unique_id"].str[3:].astype("int64"))
    dates = df.assign(ds=df["ds"].dt.date)
    f32 = df.assign(y=df["y"].astype("float32"), unique_id=df["unique_id"])
    ref = apotheca.forecast_frame(df, "croston_sba", h=2, on_error="raise")["CrostonSBA"].tolist()
    for frame in (cat, ints, dates, f32):
        out = apotheca.forecast_frame(frame, "croston_sba", h=2, on_error="raise")
        assert out["CrostonSBA"].tolist() == ref
    assert apotheca.forecast_frame(ints, "naive", h=1, on_error="raise")["unique_id"].dtype == np.int64
    assert isinstance(apotheca.forecast_frame(dates, "naive", h=1, on_error="raise")["ds"].iloc[0], dt.date)


def test_numpy_columns_cross_without_a_copy_and_keep_their_meaning() -> None:
    df = long_frame()
    ref = apotheca.forecast_frame(df, "croston_sba", h=2, on_error="raise")["CrostonSBA"].tolist()
    for y in (df["y"].astype("int64"), df["y"].astype("uint8"), df["y"].astype("float32")):
        out = apotheca.forecast_frame(df.assign(y=y), "croston_sba", h=2, on_error="raise")
        assert out["CrostonSBA"].tolist() == ref
    # A NaN target is a missing period, as a null is.
    gap = df.copy()
    gap.loc[5, "y"] = np.nan
    nulls = pa.Table.from_pandas(gap).set_column(2, "y", pa.array(gap["y"], from_pandas=True))
    assert nulls.column("y").null_count == 1
    assert (apotheca.forecast_frame(gap, "croston_sba", h=2)["CrostonSBA"].tolist()
            == apotheca.forecast_frame(nulls, "croston_sba", h=2).column("CrostonSBA").to_pylist())
    # Dates in any numpy unit; NaT is a null date, refused at the time column.
    for unit in ("s", "ms", "us"):
        dtype = np.dtype(f"datetime64[{unit}]")
        out = apotheca.forecast_frame(df.assign(ds=df["ds"].astype(dtype)), "naive", h=1, on_error="raise")
        assert out["ds"].dtype == dtype
        assert out["ds"].iloc[0] == pd.Timestamp("2026-01-01")
    nat = df.copy()
    nat.loc[7, "ds"] = pd.NaT
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_frame(nat, "naive", h=1)
    assert e.value.code == "MALFORMED_INPUT" and e.value.details["path"] == "ds"
    assert "NaT" in str(e.value)


def test_columns_by_other_names_and_the_frequency_given() -> None:
    df = long_frame().rename(columns={"unique_id": "sku", "ds": "month", "y": "qty"})
    out = apotheca.forecast_frame(df, "naive", h=1, id_col="sku", time_col="month", target_col="qty",
                                  freq="MS", on_error="raise")
    assert list(out.columns) == ["sku", "month", "Naive"]
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_frame(df, "naive", h=1)
    assert e.value.code == "MALFORMED_INPUT" and e.value.details["path"] == "unique_id"


def test_one_short_series_never_fails_the_batch_unless_asked() -> None:
    df = pd.concat([long_frame(), pd.DataFrame({"unique_id": "NEW", "ds": MONTHS[-3:], "y": [1.0, 2.0, 0.0]})])
    fallback = apotheca.forecast_frame(df, "holt", h=2)
    new = fallback[fallback["unique_id"] == "NEW"]
    assert new["Holt-model"].tolist() == ["ses_optimized"] * 2
    assert new["Holt-error"].tolist() == ["INVALID_SERIES"] * 2
    assert fallback[fallback["unique_id"] != "NEW"]["Holt-error"].isna().all()
    null = apotheca.forecast_frame(df, "holt", h=2, on_error="null")
    assert null[null["unique_id"] == "NEW"]["Holt"].isna().all()
    assert null[null["unique_id"] != "NEW"]["Holt"].notna().all()
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_frame(df, "holt", h=2, on_error="raise")
    assert e.value.code == "INVALID_SERIES" and "NEW" in str(e.value)


def test_text_columns_are_what_pandas_makes_of_the_same_texts() -> None:
    # Ids, model and error columns (some errors, none, all): object columns under pandas 2,
    # its `str` dtype with NaN for a missing text under pandas 3, as pandas builds them from
    # the same values.
    df = pd.concat([long_frame(), pd.DataFrame({"unique_id": "NEW", "ds": MONTHS[-3:], "y": [1.0, 2.0, 0.0]})])
    for frame in (df, df.assign(unique_id=df["unique_id"].astype(object)),
                  df.assign(unique_id=df["unique_id"].astype(str))):
        out = apotheca.forecast_frame(frame, ["holt", "naive"], h=2)
        for col in ("unique_id", "Holt-model", "Holt-error", "Naive-model", "Naive-error"):
            same = pd.DataFrame({col: out[col].tolist()})[col]
            assert out[col].dtype == same.dtype, col
            pd.testing.assert_series_equal(out[col], same)
    cv = apotheca.cross_validation_frame(df, "holt", h=2)
    assert cv["Holt-error"].dtype == pd.DataFrame({"e": cv["Holt-error"].tolist()})["e"].dtype
    if int(pd.__version__.split(".")[0]) < 3:
        # pandas 2 asked for pandas 3's texts after a first call: the columns follow it.
        with pd.option_context("future.infer_string", True):
            out = apotheca.forecast_frame(df, "holt", h=2)
            assert isinstance(out["Holt-model"].dtype, pd.StringDtype)
            pd.testing.assert_series_equal(out["Holt-model"], pd.Series(out["Holt-model"].tolist(), name="Holt-model"))


def test_cross_validation_is_shaped_as_statsforecast_s() -> None:
    out = apotheca.cross_validation_frame(long_frame(), ["naive", "croston_sba"], h=2, n_windows=3,
                                          step_size=1, on_error="raise")
    assert list(out.columns) == ["unique_id", "ds", "cutoff", "y", "Naive", "CrostonSBA"]
    assert len(out) == N * 3 * 2
    first = out[out["unique_id"] == "SKU000"]
    # The last window ends at the last observation; windows one period apart.
    assert first["cutoff"].dt.strftime("%Y-%m").tolist() == ["2025-08", "2025-08", "2025-09", "2025-09", "2025-10", "2025-10"]
    month: dict[Any, int] = {d: i for i, d in enumerate(MONTHS)}
    for ds, cutoff, y, naive in first[["ds", "cutoff", "y", "Naive"]].itertuples(index=False):
        assert y == Y[0, month[ds]]
        assert naive == Y[0, month[cutoff]]


def test_fitted_values_one_row_per_observation() -> None:
    out = apotheca.fitted_frame(long_frame(), "ses_optimized", on_error="raise")
    assert list(out.columns) == ["unique_id", "ds", "y", "SESOpt"]
    assert len(out) == N * T
    assert np.isnan(out["SESOpt"].iloc[0]) and out["SESOpt"].iloc[1] == Y[0, 0]


def test_fitted_bands_are_fitted_plus_minus_z_sigma() -> None:
    # statsforecast's _add_fitted_pi; checked against its forecast_fitted_values on car parts
    # within its float32 output (benches/README.md).
    out = apotheca.fitted_frame(long_frame(), "croston_sba", levels=[80, 95], on_error="raise")
    assert list(out.columns)[3:8] == ["CrostonSBA", "CrostonSBA-lo-80", "CrostonSBA-hi-80",
                                      "CrostonSBA-lo-95", "CrostonSBA-hi-95"]
    first = out[out["unique_id"] == "SKU000"]
    y, f = first["y"].to_numpy(), first["CrostonSBA"].to_numpy()
    sigma = np.sqrt(np.nansum((y - f) ** 2) / len(y))
    half = first["CrostonSBA-hi-95"].to_numpy() - f
    assert np.allclose(half[1:], 1.959963984540054 * sigma, rtol=1e-8)
    assert np.isnan(half[0])
    lo = f - first["CrostonSBA-lo-80"].to_numpy()
    assert np.allclose(lo[1:], 1.2815515655446004 * sigma, rtol=1e-8)
    moving_average: Any = {"name": "moving_average", "window": 3}
    for no_bands in (ETS, moving_average):
        with pytest.raises(apotheca.InputError) as refused:
            apotheca.fitted_frame(long_frame(), ["naive", no_bands], levels=[80])
        assert refused.value.code == "INVALID_INPUT"
        assert refused.value.details["path"] == "models[1]"
        assert "no fitted-value bands" in refused.value.message
    with pytest.raises(apotheca.InputError):
        apotheca.fitted_frame(long_frame(), "naive", levels=[100])


def test_progress_reports_to_a_callable_and_to_tqdm() -> None:
    seen: list[tuple[int, int]] = []
    apotheca.forecast_frame(long_frame(), ETS, h=2, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (N, N)
    assert all(t == N for _, t in seen) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    tqdm = pytest.importorskip("tqdm")
    with tqdm.tqdm(disable=False, file=open("/dev/null", "w")) as bar:
        apotheca.forecast_frame(long_frame(), "croston_sba", h=2, progress=bar)
        assert bar.n == N and bar.total == N


def test_an_exception_in_the_callback_stops_the_call_and_is_raised_as_is() -> None:
    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop(done)

    with pytest.raises(Stop):
        apotheca.forecast_frame(long_frame(), ETS, h=2, progress=stop)
    with pytest.raises(KeyboardInterrupt):
        apotheca.fitted_frame(long_frame(), ETS, progress=lambda d, t: (_ for _ in ()).throw(KeyboardInterrupt()))


def test_threads_is_an_argument_and_the_gil_is_released() -> None:
    big = long_frame(RNG.poisson(1.0, size=(400, 60)).astype(np.float64))
    ref = apotheca.forecast_frame(big, ETS, h=2, threads=1)
    ticks = 0
    done = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            done.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        out = apotheca.forecast_frame(big, ETS, h=2, threads=2)
    finally:
        done.set()
        t.join()
    assert out.equals(ref)
    assert ticks > 0
    with pytest.raises(apotheca.InputError):
        apotheca.forecast_frame(big, "naive", h=1, threads=0)


def test_unknown_fields_and_bad_arguments_are_refused() -> None:
    with pytest.raises(apotheca.InputError) as e:
        apotheca._native.forecast_frame(pa.Table.from_pandas(long_frame()),
                                        {"models": [{"model": {"name": "naive"}}], "horizon": 1, "colour": 1})  # type: ignore[typeddict-unknown-key]
    assert "colour" in str(e.value)
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_frame(long_frame(), "naive", h=1, freq="fortnight")
    assert e.value.details["path"] == "freq"
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_frame([1, 2, 3], "naive", h=1)  # type: ignore[call-overload]
    assert e.value.code == "MALFORMED_INPUT" and e.value.details["path"] == "table"
    with pytest.raises(apotheca.InputError):
        apotheca.forecast_frame(long_frame(), "no_such_model", h=1)


def test_ctrl_c_stops_a_long_call_between_chunks() -> None:
    import _thread

    big = long_frame(RNG.poisson(1.0, size=(3000, 48)).astype(np.float64))
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 1:
            # Ctrl-C arrives (a SIGINT for the main thread) once the first chunk is done. A
            # timer thread would have to win the GIL from the call's own chunk checks first,
            # which it does not reliably do on a busy machine.
            _thread.interrupt_main()

    # Python's own Ctrl-C handler, as in an interactive session: a process started in the
    # background inherits SIGINT ignored, and then interrupt_main does nothing.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            apotheca.forecast_frame(big, ETS, h=2, threads=1, progress=progress)
    finally:
        signal.signal(signal.SIGINT, previous)
    # Raised at the next check between chunks: no further chunk was reported, and the first
    # one was not the last.
    assert len(calls) == 1 and calls[0][0] < calls[0][1]


def test_conformal_intervals_are_statsforecasts_method() -> None:
    df = long_frame()
    conformal: Any = {"method": "conformal_distribution", "n_windows": 3}
    fc = apotheca.forecast_frame(df, [("SES", {"name": "ses", "alpha": 0.1})], h=2,
                                 levels=[80], intervals=conformal, on_error="raise")
    default = apotheca.forecast_frame(df, [("SES", {"name": "ses", "alpha": 0.1})], h=2,
                                      levels=[80], on_error="raise")
    assert np.array_equal(fc["SES"].to_numpy(), default["SES"].to_numpy())
    assert not np.array_equal(fc["SES-hi-80"].to_numpy(), default["SES-hi-80"].to_numpy())
    # By hand for the first series: scores |forecast − actual| of 3 windows of 2 on its tail.
    y = Y[0]
    scores = []
    for w in range(3):
        end = T - 6 + 2 * w
        level = apotheca.forecast_frame(long_frame(y[None, :end]), {"name": "ses", "alpha": 0.1},
                                        h=2)["SES"].to_numpy()
        scores.append(np.abs(level - y[end:end + 2]))
    cs = np.array(scores)
    mean = fc["SES"].to_numpy()[:2]
    want = np.quantile(np.vstack([mean - cs, mean + cs]), [0.1, 0.9], axis=0)
    assert np.array_equal(fc["SES-lo-80"].to_numpy()[:2], want[0])
    assert np.array_equal(fc["SES-hi-80"].to_numpy()[:2], want[1])
    # Too short for 2 windows of 2: that series alone falls back, with the code.
    short = pd.concat([df, pd.DataFrame({"unique_id": "NEW", "ds": MONTHS[:4], "y": [1.0] * 4})])
    out = apotheca.forecast_frame(short, "ses_optimized", h=2, levels=[80], intervals=conformal)
    assert out["SESOpt-error"].iloc[-1] == "INVALID_SERIES"
    with pytest.raises(apotheca.InputError) as e:
        bootstrap: Any = {"method": "bootstrap"}
        apotheca.forecast_frame(df, "naive", h=1, levels=[80], intervals=bootstrap)
    assert "intervals" in str(e.value)


def test_object_id_columns_of_strings_or_of_other_objects() -> None:
    months = pd.to_datetime(["2026-01-01", "2026-02-01"] * 2)
    for ids in (["A", "A", "B", "B"], [1, 1, 2, 2]):
        df = pd.DataFrame({"unique_id": np.array(ids, dtype=object), "ds": months,
                           "y": [1.0, 2.0, 3.0, 4.0]})
        fc = apotheca.forecast_frame(df, "naive", 1, on_error="raise")
        assert fc["unique_id"].tolist() == [ids[0], ids[2]]
        assert fc["Naive"].tolist() == [2.0, 4.0]


def test_object_string_ids_keep_their_order_and_dtype_however_they_are_laid_out() -> None:
    # Interleaved rows, equal ids as distinct objects (not only runs of one object), a
    # non-ASCII id: read by the engine's object reader, series in order of first appearance.
    ids = ["Ä1", "b", "".join(["Ä", "1"]), "".join(["b"]), "c", "Ä1"]
    days = pd.to_datetime(["2026-01-01", "2026-01-01", "2026-02-01", "2026-02-01",
                           "2026-01-01", "2026-03-01"])
    df = pd.DataFrame({"unique_id": np.array(ids, dtype=object), "ds": days,
                       "y": [1.0, 5.0, 2.0, 6.0, 7.0, 3.0]})
    fc = apotheca.forecast_frame(df, "naive", 1, freq="MS", on_error="raise")
    # object in, object out (pandas 3 makes such a column its `str` dtype: that comes back).
    assert fc["unique_id"].dtype == df["unique_id"].dtype
    assert fc["unique_id"].tolist() == ["Ä1", "b", "c"]
    assert fc["Naive"].tolist() == [3.0, 6.0, 7.0]
    # A column mixing str and other objects falls back to pyarrow, which refuses it by path.
    mixed = df.assign(unique_id=np.array(["A", 1, "A", 1, "B", "A"], dtype=object))
    with pytest.raises(apotheca.InputError) as refused:
        apotheca.forecast_frame(mixed, "naive", 1, freq="MS")
    assert refused.value.code == "MALFORMED_INPUT"
    assert refused.value.details["path"] == "unique_id"
    # A categorical id column stays categorical.
    cat = apotheca.forecast_frame(df.assign(unique_id=df["unique_id"].astype("category")),
                                  "naive", 1, freq="MS", on_error="raise")
    assert cat["unique_id"].dtype == "category"
    assert cat["Naive"].tolist() == fc["Naive"].tolist()
