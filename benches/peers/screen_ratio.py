"""Interaction screening from Python: apotheca against a plain Python dict screener doing the
same job on the generated 2,000-drug / 250,000-rule knowledge base (98 % drug pairs, 2 %
drug–class rules over a four-level class tree: `apotheca_benches::knowledge_base`).

The peer resolves each entry by a dict of lower-cased ids, names, synonyms and brands, looks
each pair of drugs up in a dict of drug pairs and, where the pair has no rule of its own, each
drug's class rules against the other drug's classes and their ancestors (the most severe one
per pair), and sorts the alerts most severe first. apotheca does that
and more (salts and forms stripped, duplicate therapy, allergies, additive risk, suggestions
for unknown names): the interaction alerts of both are checked to name the same pairs at the same severities.

    cargo run --release -p apotheca-benches --example kb_json -- /tmp/kb.json
    python benches/peers/screen_ratio.py /tmp/kb.json

Prints CPU time per 10-drug list for the peer and for apotheca's full screen, lean screen and
batch of lean screens (`screen_many`), loading time and memory per rule for both.
"""

from __future__ import annotations

import ctypes
import gc
import json
import random
import sys
import time
import tracemalloc
from typing import Any

import apotheca

RANK = {"contraindicated": 0, "major": 1, "moderate": 2, "minor": 3}
Peer = tuple[dict[str, str], dict[str, frozenset[str]], dict[tuple[str, str], tuple[str, str]],
             dict[str, dict[str, tuple[str, str]]]]


def load_peer(kb: dict[str, Any]) -> Peer:
    names: dict[str, str] = {}
    for d in kb["drugs"]:
        for n in [d["id"], d["name"], *d["synonyms"], *d["brands"]]:
            names[n.lower()] = d["id"]
    parent = {c["code"]: c["parent"] for c in kb["classes"]}

    def ancestry(c: str | None) -> list[str]:
        out = []
        while c:
            out.append(c)
            c = parent.get(c)
        return out

    classes_of = {d["id"]: frozenset(a for c in d["classes"] for a in ancestry(c))
                  for d in kb["drugs"]}
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    by_class: dict[str, dict[str, tuple[str, str]]] = {}
    for r in kb["rules"]:
        a, b = r["a"], r["b"]
        if a["kind"] == "drug" and b["kind"] == "drug":
            key = (a["id"], b["id"]) if a["id"] < b["id"] else (b["id"], a["id"])
            pairs[key] = (r["severity"], r["id"])
        else:
            d, c = (a, b) if a["kind"] == "drug" else (b, a)
            by_class.setdefault(d["id"], {})[c["id"]] = (r["severity"], r["id"])
    return names, classes_of, pairs, by_class


def peer_screen(peer: Peer, meds: list[str]) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    names, classes_of, pairs, by_class = peer
    ids: list[str] = []
    unknown: list[str] = []
    for m in meds:
        i = names.get(m.lower())
        if i is None:
            unknown.append(m)
        else:
            ids.append(i)
    alerts = []
    for x, a in enumerate(ids):
        for b in ids[x + 1:]:
            r = pairs.get((a, b) if a < b else (b, a))
            if r:
                # A rule on the two drugs themselves overrides their classes' rules.
                alerts.append((r[0], r[1], a, b))
                continue
            # Otherwise the most severe of the class rules between them: one alert per pair.
            found = None
            for d, other in ((a, b), (b, a)):
                rules = by_class.get(d)
                if rules:
                    for c in classes_of[other] & rules.keys():
                        if found is None or RANK[rules[c][0]] < RANK[found[0]]:
                            found = rules[c]
            if found:
                alerts.append((found[0], found[1], a, b))
    alerts.sort(key=lambda t: RANK[t[0]])
    return alerts, unknown


def rss() -> int:
    """Resident bytes, after handing freed heap pages back to the system where glibc can (the
    load's transient garbage — the parsed rules before they are compiled — is not the
    engine's memory)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def cpu_per_call(f: Any, items: list[Any], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for x in items:
            f(x)
        best = min(best, time.process_time() - start)
    return best / len(items)


def main(path: str) -> None:
    text = open(path).read()
    kb = json.loads(text)
    rules = len(kb["rules"])
    # Loading: the peer from the parsed JSON (as a service holding the dict would), apotheca
    # from the text and from the same dict.
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    peer = load_peer(kb)
    t_peer_load = time.perf_counter() - start
    peer_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    gc.collect()
    before = rss()
    start = time.perf_counter()
    engine = apotheca.Interactions.from_json(text)
    t_json_load = time.perf_counter() - start
    engine_bytes = rss() - before
    before = rss()
    start = time.perf_counter()
    from_dict = apotheca.Interactions(kb)
    t_dict_load = time.perf_counter() - start
    dict_bytes = rss() - before
    del from_dict

    rng = random.Random(20261206)
    spell = [lambda d: d["name"], lambda d: d["brands"][0], lambda d: d["synonyms"][0],
             lambda d: d["name"].upper()]
    lists = [[rng.choice(spell)(rng.choice(kb["drugs"])) for _ in range(10)]
             for _ in range(2_000)]
    # The same interacting pairs at the same severities from both.
    for meds in lists[:200]:
        ours = {(tuple(sorted(a["drugs"])), a["severity"])
                for a in engine.screen({"medications": meds, "lean": True})["alerts"]
                if a["kind"] == "interaction"}
        theirs = {(tuple(sorted((a, b))), sev) for sev, _, a, b in peer_screen(peer, meds)[0]}
        assert ours == theirs, (meds, ours ^ theirs)
    t_peer = cpu_per_call(lambda m: peer_screen(peer, m), lists)
    t_full = cpu_per_call(lambda m: engine.screen({"medications": m}), lists)
    t_lean = cpu_per_call(lambda m: engine.screen({"medications": m, "lean": True}), lists)
    batch = [{"medications": m, "lean": True} for m in lists]
    t_many = cpu_per_call(lambda b: engine.screen_many(b), [batch]) / len(lists)
    alerts = sum(len(peer_screen(peer, m)[0]) for m in lists) / len(lists)
    print(f"knowledge base: {len(kb['drugs']):,} drugs, {rules:,} rules; "
          f"{alerts:.1f} interaction alerts per 10-drug list")
    print(f"{'10-drug screen, CPU per list':38} {'µs':>8} {'peer / this':>12}")
    for name, t in [("dict peer (plain Python)", t_peer), ("apotheca screen", t_full),
                    ("apotheca screen, lean", t_lean), ("apotheca screen_many, lean", t_many)]:
        print(f"{name:38} {t * 1e6:8.1f} {t_peer / t:11.2f}x")
    print(f"{'loading':38} {'s':>8}")
    print(f"{'dict peer from the parsed JSON':38} {t_peer_load:8.3f}")
    print(f"{'apotheca Interactions.from_json(text)':38} {t_json_load:8.3f}")
    print(f"{'apotheca Interactions(dict)':38} {t_dict_load:8.3f}")
    print(f"memory per rule: dict peer {peer_bytes / rules:.0f} B (tracemalloc), "
          f"apotheca {engine_bytes / rules:.0f} B from the text, {dict_bytes / rules:.0f} B from "
          f"the dict (resident set growth, freed heap trimmed)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/kb.json")
