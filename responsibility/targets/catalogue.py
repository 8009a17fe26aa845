"""The target catalogue (``targets/<version>.toml``): what each target an agreement declares
measures, and where its goal comes from.

The goal of a target is the value the campaign froze for the template's ``[targets]`` key
(``manifest``), or a fixed ``goal`` for a target the template does not parameterise (逾期隐患 0,
挂牌督办率 100%). ``measure`` names the computation in :mod:`.measures`; ``unrecorded`` marks work
the system keeps no records of, so the scorecard says "no records" instead of guessing. Loaded
and checked like the checklist catalogue: every problem listed at once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..versioned_toml import read_versioned
from .errors import TargetCatalogueError

__all__ = ["DEFAULT_ROOT", "DEFAULT_VERSION", "KINDS", "PERIODS", "TargetSpec", "load_targets", "parse_goal"]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "targets"
DEFAULT_VERSION = "2025-v1"
KINDS = ("rate_min", "count_max", "count_min", "minutes_max")
PERIODS = ("month", "season")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_GOAL_RE = re.compile(r"^\s*[≥>=]*\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class TargetSpec:
    key: str
    label: str
    label_en: str
    kind: str
    measure: str
    manifest: str | None = None
    goal: str | None = None
    per: str | None = None


def parse_goal(text: str, kind: str) -> float | None:
    """``"100%"`` → 1.0 for a rate; ``"≥1"``/``"1"`` → 1.0 for a count; None when unreadable."""
    match = _GOAL_RE.match(text or "")
    if match is None:
        return None
    number = float(match.group(1))
    if kind == "rate_min":
        return number / 100 if match.group(2) or number > 1 else number
    return None if match.group(2) else number


def _spec(raw: Any, position: int, measures: frozenset[str], problems: list[str]) -> TargetSpec | None:
    where = f"targets[{position}]"
    if not isinstance(raw, dict):
        problems.append(f"{where}: not a table")
        return None
    key, kind, measure = raw.get("key"), raw.get("kind"), raw.get("measure")
    start = len(problems)
    if not isinstance(key, str) or not _KEY_RE.match(key):
        problems.append(f"{where}: key {key!r} is not a lower-case code")
    if kind not in KINDS:
        problems.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if measure not in measures:
        problems.append(f"{where}: unknown measure {measure!r}")
    for name in ("label", "label_en"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            problems.append(f"{where}: {name} missing")
    manifest, goal, per = raw.get("manifest"), raw.get("goal"), raw.get("per")
    if (manifest is None) == (goal is None):
        problems.append(f"{where}: exactly one of manifest or goal")
    if goal is not None and parse_goal(str(goal), str(kind)) is None:
        problems.append(f"{where}: goal {goal!r} is not a number or a percentage")
    if (kind == "count_min") != (per is not None) or (per is not None and per not in PERIODS):
        problems.append(f"{where}: per ({', '.join(PERIODS)}) is required by count_min and only there")
    unknown = set(raw) - {"key", "label", "label_en", "kind", "measure", "manifest", "goal", "per"}
    if unknown:
        problems.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    if len(problems) > start:
        return None
    return TargetSpec(
        key=str(key), label=raw["label"], label_en=raw["label_en"], kind=str(kind), measure=str(measure),
        manifest=manifest, goal=None if goal is None else str(goal), per=per,
    )  # fmt: skip


@functools.lru_cache(maxsize=8)
def load_targets(
    measures: frozenset[str], version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT
) -> tuple[TargetSpec, ...]:
    """The version's targets in file order; :class:`TargetCatalogueError` lists every problem."""
    data, _, problems = read_versioned(root, version, TargetCatalogueError)
    raw_targets = data.get("targets")
    if not isinstance(raw_targets, list) or not raw_targets:
        problems.append(f"{version}.toml: no [[targets]]")
        raw_targets = []
    specs = [_spec(raw, i, measures, problems) for i, raw in enumerate(raw_targets)]
    keys = [s.key for s in specs if s is not None]
    problems.extend(f"targets: key {k!r} twice" for k in sorted({k for k in keys if keys.count(k) > 1}))
    if problems:
        raise TargetCatalogueError(problems)
    return tuple(s for s in specs if s is not None)
