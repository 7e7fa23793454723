"""Shared helpers for the apotheca Python tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CONFORMANCE = Path(__file__).resolve().parents[2] / "conformance"


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every conformance case as (capability, case), sorted by path."""
    out = []
    for path in sorted(CONFORMANCE.glob("*/*.json")):
        out.append((path.parent.name, json.loads(path.read_text())))
    return out

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
