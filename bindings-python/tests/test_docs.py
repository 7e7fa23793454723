"""Every native function and method has a docstring at run time (`help()`), taken from the
facade's doc comments by `cargo xtask gen`."""

from __future__ import annotations

import inspect

import apotheca


def test_forecast_has_a_real_docstring() -> None:
    doc = apotheca.forecast.__doc__ or ""
    assert "Forecasts every series" in doc


def test_every_public_native_callable_is_documented() -> None:
    native = apotheca._native
    undocumented = []
    for name, obj in vars(native).items():
        if name.startswith("_"):
            continue
        if inspect.isclass(obj):
            if issubclass(obj, BaseException):
                continue
            for mname, m in vars(obj).items():
                if not mname.startswith("_") and callable(m) and not (m.__doc__ or "").strip():
                    undocumented.append(f"{name}.{mname}")
        elif callable(obj) and not (obj.__doc__ or "").strip():
            undocumented.append(name)
    assert not undocumented, undocumented
