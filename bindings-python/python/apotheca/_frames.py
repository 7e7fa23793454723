"""DataFrames in, DataFrames out: forecasts, backtests and fitted values over long frames.

The table crosses into Rust as Arrow buffers through the Arrow PyCapsule interface
(``__arrow_c_stream__``), so no Python object is made per row. pandas, polars and pyarrow are
optional: each is imported only when a frame of its kind is given or asked for.

The worked examples are in the package README ("Forecasts from DataFrames"), run as doctests.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, Union, overload

from .types import FrameModel, FrameSpec, IntervalMethod, Model, OnError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas
    import polars
    import pyarrow


class ArrowStream(Protocol):
    """Anything exporting an Arrow stream: a pyarrow or polars table, DuckDB result, arro3."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...


class ArrowTable(ArrowStream, Protocol):
    """The native result: an Arrow table (pyo3-arrow's), readable by ``pyarrow.table(t)``,
    ``polars.DataFrame(t)`` and any other Arrow PyCapsule consumer."""


class ArrowArray(Protocol):
    """One Arrow array (``__arrow_c_array__``), readable by ``pyarrow.array(a)``."""

    def __arrow_c_array__(self, requested_schema: object | None = None) -> object: ...


class _Progress(Protocol):
    """A tqdm-like bar: ``total`` is set once and ``update(n)`` called as series finish."""

    total: Any

    def update(self, n: int = 1) -> object: ...


#: A model: its name (``"croston_sba"``), a model dict (``{"name": "ses", "alpha": 0.1}``),
#: a ``FrameModel`` (``{"model": {...}, "alias": "SES-0.1"}``) or a pair ``(alias, model)``.
ModelLike = Union[str, Model, FrameModel, tuple[str, Union[str, Model]]]
#: A callable ``(done, total)`` or a tqdm-like bar.
ProgressLike = Union[Callable[[int, int], object], _Progress]

F = TypeVar("F")


def _model(m: ModelLike) -> FrameModel:
    if isinstance(m, str):
        named: Any = {"name": m}
        return {"model": named}
    if isinstance(m, tuple):
        alias, inner = m
        return {"model": _model(inner)["model"], "alias": alias}
    if "model" in m:
        return m  # type: ignore[return-value]
    return {"model": m}


def _spec(models: Sequence[ModelLike] | ModelLike, h: int, levels: Sequence[float],
          freq: str | None, id_col: str, time_col: str, target_col: str, on_error: OnError,
          threads: int | None, intervals: IntervalMethod | None = None) -> FrameSpec:
    if isinstance(models, (str, tuple, Mapping)):
        models = [models]
    spec: FrameSpec = {
        "models": [_model(m) for m in models],
        "horizon": h,
        "levels": list(levels),
        "freq": freq,
        "id_col": id_col,
        "time_col": time_col,
        "target_col": target_col,
        "on_error": on_error,
        "threads": threads,
    }
    if intervals is not None:
        spec["intervals"] = intervals
    return spec


def _progress(p: ProgressLike | None) -> Callable[[int, int], object] | None:
    if p is None or not hasattr(p, "update"):
        return p
    bar: Any = p
    seen = [0]

    def report(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
            if hasattr(bar, "refresh"):
                bar.refresh()
        bar.update(done - seen[0])
        seen[0] = done

    return report


def _is_pandas(df: object) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(df, pd.DataFrame)


def _is_polars(df: object) -> bool:
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(df, pl.DataFrame)


def _arrow(col: Any, name: str) -> Any:
    """One pandas column as an Arrow array. An object column of ``str`` (string ids, as
    read_csv gives them) is read by the engine straight from the Python objects into a
    dictionary array (a third of pyarrow's string conversion); any other content falls back
    to pyarrow's inference."""
    import numpy as np
    import pyarrow as pa

    dtype = col.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        # Zero-copy: NaN stays NaN, which the engine reads as missing (pyarrow's pandas
        # conversion would scan for it to make nulls).
        return pa.array(np.ascontiguousarray(col.to_numpy()))
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        unit = np.datetime_data(dtype)[0]
        if unit in ("s", "ms", "us", "ns"):
            # Zero-copy int64 values; NaT (the least int64) is refused by the engine as a null.
            values = np.ascontiguousarray(col.to_numpy()).view(np.int64)
            return pa.Array.from_buffers(pa.timestamp(unit), len(values),
                                         [None, pa.py_buffer(values)])
    if dtype == object:
        from ._native import _object_strings

        strings = _object_strings(col.to_numpy())
        if strings is not None:
            return pa.array(strings)
    try:
        return pa.array(col)
    except (pa.ArrowTypeError, pa.ArrowInvalid) as e:
        from ._errors import InputError

        raise InputError(f"{name}: {e}", "MALFORMED_INPUT", {"path": name}) from None


def _columns(df: Any, names: Sequence[str]) -> Any:
    """The three columns a call reads (fewer buffers to export), as an Arrow stream."""
    if _is_pandas(df):
        import pyarrow as pa

        # A missing column is reported by the engine, as for any other table.
        # Column by column: `Table.from_pandas` on `df[have]` copies the frame first and costs
        # twice as much.
        have = [n for n in dict.fromkeys(names) if n in df.columns]
        return pa.table({n: _arrow(df[n], n) for n in have})
    if _is_polars(df):
        return df.select([n for n in dict.fromkeys(names) if n in df.columns])
    if hasattr(df, "__arrow_c_stream__"):
        return df
    from ._errors import InputError

    raise InputError(f"df must be a pandas or polars DataFrame or an Arrow table (with "
                     f"__arrow_c_stream__), not {type(df).__name__}",
                     "MALFORMED_INPUT", {"path": "table"})


def _pandas(table: ArrowTable, keep_category: bool, id_col: str) -> Any:
    """A result table as a pandas DataFrame, column by column from numpy views: numbers and
    timestamps without a copy, dictionary-encoded strings (ids, model and error columns) as
    object columns sharing one string per distinct value (a category for category ids; pandas
    3's ``str`` columns from the Arrow text, as pandas 3 would infer from the objects). Other
    column types go through ``to_pandas`` (dates as ``date`` objects, as pyarrow gives them)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    t = pa.table(table)
    text_dtype = _text_dtype()
    data: dict[str, Any] = {}
    for name, col in zip(t.column_names, t.columns):
        arr = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
        kind = arr.type
        if pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type):
            if arr.null_count == len(arr) and not (name == id_col and keep_category):
                # No value at all (an error column where every series was forecast).
                data[name] = np.full(len(arr), None, dtype=object)
                continue
            values = arr.dictionary.to_numpy(zero_copy_only=False)
            # The codes in place where none is null (ids, model columns).
            codes = (arr.indices.to_numpy() if arr.null_count == 0
                     else arr.indices.fill_null(-1).to_numpy())
            if name == id_col and keep_category:
                data[name] = pd.Categorical.from_codes(codes, values)
            elif text_dtype:
                # pandas 3 would infer its `str` dtype from the objects, row by row (~40 ns a
                # row); the same column made from the Arrow text is a fifth of that.
                data[name] = arr.dictionary_decode().to_pandas().array
            elif arr.null_count == 0:
                data[name] = values.take(codes)
            else:
                # Code -1 (null) takes the appended None.
                data[name] = np.append(values, np.array([None], dtype=object)).take(codes)
        elif (pa.types.is_floating(kind) or pa.types.is_timestamp(kind)
              or (pa.types.is_integer(kind) and arr.null_count == 0)):
            # Nulls (no forecast) become NaN.
            data[name] = arr.to_numpy(zero_copy_only=False)
        else:
            # The column's array, not a Series (which the frame would align by its index).
            data[name] = arr.to_pandas().array
    return pd.DataFrame(data, copy=False)


@functools.cache
def _text_dtype() -> bool:
    """Whether pandas makes a column of texts its own ``str`` dtype (pandas 3) rather than
    ``object``, asked once. A pandas 2 whose ``future.infer_string`` is set later still gets
    the columns it would make (it infers them from the objects), only by the slower path."""
    import pandas as pd

    return isinstance(pd.Series(["a"]).dtype, pd.StringDtype)


def _back(df: Any, id_col: str, table: ArrowTable) -> Any:
    """The result in the kind of frame the caller gave; pandas ids of the input's dtype (object
    ids crossed as a dictionary array, see :func:`_arrow`)."""
    if _is_pandas(df):
        return _pandas(table, keep_category=df[id_col].dtype == "category", id_col=id_col)
    if _is_polars(df):
        import polars as pl

        return pl.DataFrame(table)
    try:
        import pyarrow as pa
    except ImportError:
        return table
    return pa.table(table)


@overload
def forecast_frame(df: pandas.DataFrame, models: Sequence[ModelLike] | ModelLike, h: int, *,
                   levels: Sequence[float] = ..., freq: str | None = ..., id_col: str = ...,
                   time_col: str = ..., target_col: str = ..., on_error: OnError = ...,
                   threads: int | None = ..., intervals: IntervalMethod | None = ...,
                   progress: ProgressLike | None = ...) -> pandas.DataFrame: ...
@overload
def forecast_frame(df: polars.DataFrame, models: Sequence[ModelLike] | ModelLike, h: int, *,
                   levels: Sequence[float] = ..., freq: str | None = ..., id_col: str = ...,
                   time_col: str = ..., target_col: str = ..., on_error: OnError = ...,
                   threads: int | None = ..., intervals: IntervalMethod | None = ...,
                   progress: ProgressLike | None = ...) -> polars.DataFrame: ...
@overload
def forecast_frame(df: ArrowStream, models: Sequence[ModelLike] | ModelLike, h: int, *,
                   levels: Sequence[float] = ..., freq: str | None = ..., id_col: str = ...,
                   time_col: str = ..., target_col: str = ..., on_error: OnError = ...,
                   threads: int | None = ..., intervals: IntervalMethod | None = ...,
                   progress: ProgressLike | None = ...) -> pyarrow.Table: ...
def forecast_frame(df: Any, models: Sequence[ModelLike] | ModelLike, h: int, *,
                   levels: Sequence[float] = (), freq: str | None = None,
                   id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y",
                   on_error: OnError = "fallback", threads: int | None = None, intervals: IntervalMethod | None = None,
                   progress: ProgressLike | None = None) -> Any:
    """Forecasts ``h`` periods of every series of a long frame with every model, shaped as
    statsforecast's ``StatsForecast.forecast``: ``unique_id, ds, <Model>, <Model>-lo-80,
    <Model>-hi-80, …``, one column block per model in the order given, series in order of
    first appearance.

    ``df`` is a pandas or polars DataFrame or any Arrow table (``__arrow_c_stream__``); the
    result is of the same kind (a ``pyarrow.Table`` for other Arrow tables). Ids may be
    strings, categories or integers; dates ``datetime64`` at midnight or ``date``; the target
    any numeric type, missing values counting as periods with no sale. ``freq`` (``"MS"``,
    ``"W"``, ``"day"``, …) is inferred when omitted. With ``on_error="fallback"`` (default) a
    series a model cannot forecast is forecast by ``ses_optimized`` and each block has
    ``<Model>-model`` and ``<Model>-error`` columns saying so; ``"null"`` leaves it empty with
    the error code; ``"raise"`` fails the call. ``progress`` is ``(done, total)`` or a tqdm bar;
    an exception it raises (or Ctrl-C) stops the call. ``threads`` caps this call's threads.
    ``intervals={"method": "conformal_distribution", "n_windows": 2}`` makes the bands
    statsforecast's ``ConformalIntervals(h, n_windows)`` (``"conformal_error"`` its other
    method) instead of the default one-pass in-sample errors.
    """
    spec = _spec(models, h, levels, freq, id_col, time_col, target_col, on_error, threads, intervals)
    from ._native import forecast_frame as native

    return _back(df, id_col, native(_columns(df, (id_col, time_col, target_col)), spec,
                            _progress(progress)))


@overload
def cross_validation_frame(df: pandas.DataFrame, models: Sequence[ModelLike] | ModelLike,
                           h: int, *, n_windows: int = ..., step_size: int | None = ...,
                           levels: Sequence[float] = ..., freq: str | None = ...,
                           id_col: str = ..., time_col: str = ..., target_col: str = ...,
                           on_error: OnError = ..., threads: int | None = ..., intervals: IntervalMethod | None = ...,
                           progress: ProgressLike | None = ...) -> pandas.DataFrame: ...
@overload
def cross_validation_frame(df: polars.DataFrame, models: Sequence[ModelLike] | ModelLike,
                           h: int, *, n_windows: int = ..., step_size: int | None = ...,
                           levels: Sequence[float] = ..., freq: str | None = ...,
                           id_col: str = ..., time_col: str = ..., target_col: str = ...,
                           on_error: OnError = ..., threads: int | None = ..., intervals: IntervalMethod | None = ...,
                           progress: ProgressLike | None = ...) -> polars.DataFrame: ...
@overload
def cross_validation_frame(df: ArrowStream, models: Sequence[ModelLike] | ModelLike,
                           h: int, *, n_windows: int = ..., step_size: int | None = ...,
                           levels: Sequence[float] = ..., freq: str | None = ...,
                           id_col: str = ..., time_col: str = ..., target_col: str = ...,
                           on_error: OnError = ..., threads: int | None = ..., intervals: IntervalMethod | None = ...,
                           progress: ProgressLike | None = ...) -> pyarrow.Table: ...
def cross_validation_frame(df: Any, models: Sequence[ModelLike] | ModelLike, h: int, *,
                           n_windows: int = 1, step_size: int | None = None,
                           levels: Sequence[float] = (), freq: str | None = None,
                           id_col: str = "unique_id", time_col: str = "ds",
                           target_col: str = "y", on_error: OnError = "fallback",
                           threads: int | None = None, intervals: IntervalMethod | None = None,
                           progress: ProgressLike | None = None) -> Any:
    """Rolling-origin backtest shaped as statsforecast's ``cross_validation``: ``unique_id, ds,
    cutoff, y, <Model>, …`` for the last ``n_windows`` windows of ``h`` periods, each
    ``step_size`` (default ``h``) after the one before. Arguments as :func:`forecast_frame`.
    """
    spec = _spec(models, h, levels, freq, id_col, time_col, target_col, on_error, threads, intervals)
    from ._native import cross_validation_frame as native

    return _back(df, id_col, native(_columns(df, (id_col, time_col, target_col)), spec, n_windows,
                            step_size, _progress(progress)))


@overload
def fitted_frame(df: pandas.DataFrame, models: Sequence[ModelLike] | ModelLike, *,
                 levels: Sequence[float] = ..., freq: str | None = ..., id_col: str = ...,
                 time_col: str = ..., target_col: str = ..., on_error: OnError = ...,
                 threads: int | None = ...,
                 progress: ProgressLike | None = ...) -> pandas.DataFrame: ...
@overload
def fitted_frame(df: polars.DataFrame, models: Sequence[ModelLike] | ModelLike, *,
                 levels: Sequence[float] = ..., freq: str | None = ..., id_col: str = ...,
                 time_col: str = ..., target_col: str = ..., on_error: OnError = ...,
                 threads: int | None = ...,
                 progress: ProgressLike | None = ...) -> polars.DataFrame: ...
@overload
def fitted_frame(df: ArrowStream, models: Sequence[ModelLike] | ModelLike, *,
                 levels: Sequence[float] = ..., freq: str | None = ..., id_col: str = ...,
                 time_col: str = ..., target_col: str = ..., on_error: OnError = ...,
                 threads: int | None = ...,
                 progress: ProgressLike | None = ...) -> pyarrow.Table: ...
def fitted_frame(df: Any, models: Sequence[ModelLike] | ModelLike, *,
                 levels: Sequence[float] = (), freq: str | None = None,
                 id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y",
                 on_error: OnError = "fallback", threads: int | None = None,
                 progress: ProgressLike | None = None) -> Any:
    """In-sample one-step forecasts shaped as statsforecast's ``forecast_fitted_values()``:
    ``unique_id, ds, y, <Model>, <Model>-lo-80, <Model>-hi-80, …``, by statsforecast's fitted
    value conventions (the first period of each series has none). ``levels`` adds
    statsforecast's fitted bands, ``fitted ± z·σ`` with each model's in-sample σ (Croston,
    TSB, ADIDA, IMAPA, SES, naive and seasonal naive; other models are refused with levels).
    Arguments as :func:`forecast_frame`.
    """
    spec = _spec(models, 1, levels, freq, id_col, time_col, target_col, on_error, threads)
    from ._native import fitted_frame as native

    return _back(df, id_col, native(_columns(df, (id_col, time_col, target_col)), spec,
                            _progress(progress)))
