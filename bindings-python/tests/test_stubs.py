"""The type stub `_native.pyi` says what the native module has: every public function, class and
method is in it, with the parameters the module's own signatures give (names and order), so
the stub cannot drift from the binding unnoticed. Its value types come from the generated
`apotheca.types`."""

from __future__ import annotations

import ast
import inspect
import pathlib
from typing import Any

import apotheca

STUB = pathlib.Path(apotheca.__file__).parent / "_native.pyi"


def _params(fn: ast.FunctionDef) -> list[str]:
    a = fn.args
    return [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ("self", "cls")]


def _runtime_params(obj: Any) -> list[str] | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [p for p in sig.parameters if p not in ("self", "cls", "$self", "$cls")]


def test_the_stub_matches_the_native_module() -> None:
    tree = ast.parse(STUB.read_text())
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {
        n.name: {m.name: m for m in n.body if isinstance(m, ast.FunctionDef)}
        for n in tree.body
        if isinstance(n, ast.ClassDef)
    }
    problems: list[str] = []

    def compare(where: str, obj: Any, stub: ast.FunctionDef) -> None:
        runtime = _runtime_params(obj)
        if runtime is not None and runtime != _params(stub):
            problems.append(f"{where}: the module takes {runtime}, the stub says {_params(stub)}")

    for name, obj in vars(apotheca._native).items():
        if name.startswith("_"):
            continue
        if inspect.isclass(obj):
            if issubclass(obj, BaseException):
                continue
            if name not in classes:
                problems.append(f"class {name} is not in the stub")
                continue
            for mname in vars(obj):
                if mname.startswith("_") and mname != "__new__":
                    continue
                member = getattr(obj, mname)
                if not callable(member):
                    continue
                stub_name = "__init__" if mname == "__new__" else mname
                if stub_name not in classes[name]:
                    problems.append(f"{name}.{mname} is not in the stub")
                    continue
                if mname != "__new__":
                    compare(f"{name}.{mname}", member, classes[name][stub_name])
        elif callable(obj):
            if name not in funcs:
                problems.append(f"{name} is not in the stub")
                continue
            compare(name, obj, funcs[name])
    assert not problems, problems
