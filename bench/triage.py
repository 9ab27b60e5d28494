"""How well and how fast triage reads messages: precision, recall and F1 per class.

    .venv/bin/python bench/triage.py [--set tests/inbox/triage/labelled.jsonl] [--json]

Runs ``parvis.inbox.triage`` on each labelled set (by default all three in
tests/inbox/triage: ``labelled.jsonl``, the set the lexicon was tuned on;
``held_out.jsonl``, written before tuning but seen by whoever widened the
lexicon; ``fresh.jsonl``, never used for anything but measuring), prints
accuracy and per-class precision, recall and F1 for
language, sentiment and intent, and the messages triaged per second (one
process, language model loaded). With --json, one JSON object:
{"sets": {name: {field: {"accuracy", "classes": {label: {...}}}}}, "messages_per_s"}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# The project's root, not bench/, comes first (a bench module must not shadow the stdlib).
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parvis.inbox.triage import triage  # noqa: E402
from parvis.inbox.triage.evaluation import FIELDS, evaluate, read_labelled  # noqa: E402

SETS = ROOT / "tests" / "inbox" / "triage"
DEFAULT_SETS = [SETS / name for name in ("labelled.jsonl", "held_out.jsonl", "fresh.jsonl")]


def _speed(texts: list[str], seconds: float = 2.0) -> float:
    triage(texts[0])  # loads the language model
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            triage(text)
        done += len(texts)
    return done / (time.perf_counter() - started)


def _print(name: str, report: dict) -> None:
    print(f"\n== {name}")
    for field in FIELDS:
        print(f"{field}: accuracy {report[field]['accuracy']:.3f}")
        print(f"  {'class':<10} {'n':>4} {'precision':>9} {'recall':>7} {'F1':>6}")
        for label, score in report[field]["classes"].items():
            print(
                f"  {label:<10} {score['support']:>4} {score['precision']:>9.3f}"
                f" {score['recall']:>7.3f} {score['f1']:>6.3f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", type=Path, help="a labelled JSON lines file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    paths = args.set or DEFAULT_SETS
    rows = {path.name: read_labelled(path) for path in paths}
    reports = {name: evaluate(found) for name, found in rows.items()}
    speed = _speed([row["text"] for found in rows.values() for row in found])
    if args.json:
        print(json.dumps({"sets": reports, "messages_per_s": round(speed)}))
        return
    for name, report in reports.items():
        _print(f"{name} ({len(rows[name])} messages)", report)
    print(f"\n{speed:,.0f} messages triaged per second (one process)")


if __name__ == "__main__":
    main()
