"""Precision, recall and F1 per class of triage, on a labelled set of messages.

The set is JSON lines: {"text": ..., "language": ..., "sentiment": ..., "intent": ...}.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from parvis.inbox.triage import triage

FIELDS = ("language", "sentiment", "intent")


@dataclass(frozen=True)
class Score:
    label: str
    support: int  # messages labelled so
    precision: float
    recall: float
    f1: float


def read_labelled(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _score(label: str, pairs: list[tuple[str, str]]) -> Score:
    true_positive = sum(1 for want, got in pairs if want == label and got == label)
    predicted = sum(1 for _want, got in pairs if got == label)
    support = sum(1 for want, _got in pairs if want == label)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(label, support, round(precision, 3), round(recall, 3), round(f1, 3))


def evaluate(rows: Iterable[dict[str, str]]) -> dict[str, dict]:
    """For each field: accuracy and a Score per class (classes as labelled)."""
    rows = list(rows)
    found = [triage(row["text"]) for row in rows]
    report: dict[str, dict] = {}
    for field in FIELDS:
        pairs = [(row[field], getattr(got, field)) for row, got in zip(rows, found, strict=True)]
        labels = sorted({want for want, _got in pairs})
        correct = sum(1 for want, got in pairs if want == got)
        report[field] = {
            "accuracy": round(correct / len(pairs), 3) if pairs else 0.0,
            "classes": {label: asdict(_score(label, pairs)) for label in labels},
        }
    return report
