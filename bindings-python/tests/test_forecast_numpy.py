"""forecast_matrix: NumPy in and out, the same numbers as the dict API, any memory layout, and
the GIL released while it works."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import apotheca

RNG = np.random.default_rng(7)
# 40 intermittent series of 36 periods; the last 5 rows NaN-padded at the front.
Y = RNG.poisson(0.8, size=(40, 36)).astype(np.float64)
Y[35:, :10] = np.nan


def dict_api(y: np.ndarray, model: apotheca.types.ForecastModel, h: int, levels: list[float]) -> list[apotheca.types.SeriesForecast]:
    series = [{"id": str(i), "y": [None if np.isnan(v) else float(v) for v in row]} for i, row in enumerate(y)]
    return apotheca.forecast({"series": series, "model": model, "horizon": h, "levels": levels})  # type: ignore[typeddict-item]


@pytest.mark.parametrize("model", [{"name": "croston_sba"}, {"name": "auto"}, {"name": "auto_ets", "season": 12}])
def test_matrix_equals_the_dict_api(model: apotheca.types.ForecastModel) -> None:
    out = apotheca.forecast_matrix(Y, model, 3, [80.0, 95.0])
    assert out["mean"].shape == (40, 3) and out["mean"].dtype == np.float64
    assert out["lo"].shape == out["hi"].shape == (2, 40, 3)
    ref = dict_api(Y, model, 3, [80.0, 95.0])
    for i, f in enumerate(ref):
        assert out["mean"][i].tolist() == f["mean"]
        assert out["lo"][1, i].tolist() == f["intervals"][1]["lo"]
        assert out["models"][i] == f["model"]


def test_results_own_their_memory_and_any_layout_gives_the_same() -> None:
    out = apotheca.forecast_matrix(Y, {"name": "naive"}, 2)
    assert out["mean"].flags.c_contiguous and out["mean"].flags.writeable
    fortran = np.asfortranarray(Y)
    strided = np.repeat(Y, 2, axis=1)[:, ::2]
    for y in (fortran, strided):
        assert np.array_equal(apotheca.forecast_matrix(y, {"name": "naive"}, 2)["mean"], out["mean"])


def test_lengths_instead_of_padding() -> None:
    y = np.array([[1.0, 2.0, 99.0], [4.0, 5.0, 6.0]])
    out = apotheca.forecast_matrix(y, {"name": "naive"}, 1, lengths=[2, 3])
    assert out["mean"][:, 0].tolist() == [2.0, 6.0]


def test_bad_inputs_are_typed_errors() -> None:
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_matrix([[1.0, 2.0]], {"name": "naive"}, 1)
    assert e.value.code == "MALFORMED_INPUT"
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_matrix(np.array([[1, 2]]), {"name": "naive"}, 1)  # int64, not float64
    assert e.value.code == "MALFORMED_INPUT"
    with pytest.raises(apotheca.InputError) as e:
        apotheca.forecast_matrix(np.array([[1.0, -2.0]]), {"name": "naive"}, 1)
    assert e.value.code == "INVALID_SERIES" and "row 0" in e.value.message


def test_the_gil_is_released_while_forecasting() -> None:
    big = np.tile(Y[:, :30], (8, 1))
    big[np.isnan(big)] = 0.0
    ticks = 0
    done = threading.Event()

    def work() -> None:
        apotheca.forecast_matrix(big, {"name": "auto_ets", "season": 12}, 6)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
    t.join()
    elapsed = time.perf_counter() - start
    # With the GIL held for the whole call this loop would barely run; released, it spins
    # freely. (A count, not a timing: the loop only needs to have run many times.)
    assert ticks > 1000, (ticks, elapsed)
