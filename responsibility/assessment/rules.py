"""The deduction rule table (``assessment_rules/<version>.toml``), loaded and checked whole.

Which finding, missed target or failed inspection item costs how many points in which part, and
which records make a veto (一票否决) apply. The table's part keys are matched to the county's
scheme (``County.assessment_scheme``) by name when the assessment runs (:func:`match_parts`), so
one table serves counties whose part names differ slightly; every problem is listed at once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..chain.gaps.base import CHECK_CODES
from ..versioned_toml import read_versioned
from .errors import RuleTableError, SchemeError

__all__ = [
    "DEFAULT_ROOT", "DEFAULT_VERSION", "RULE_SOURCES", "VETO_SOURCES", "Rule", "RuleTable", "SchemePart",
    "VetoRule", "load_rules", "match_parts",
]  # fmt: skip

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "assessment_rules"
DEFAULT_VERSION = "2025-v1"
RULE_SOURCES = ("gap", "target", "inspection", "incident_late", "incident_unreported", "patrol_gap")
VETO_SOURCES = ("major_overdue_uncontrolled", "incident_veto_kind", "incident_veto_late")
_ID_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_AREA_RE = re.compile(r"^R\d{2}$")


@dataclass(frozen=True)
class Rule:
    id: str
    part: str
    text: str
    text_en: str
    source: str
    points: float
    max: float
    check: str | None = None
    severity: str | None = None
    target: str | None = None
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class VetoRule:
    id: str
    text: str
    text_en: str
    source: str


@dataclass(frozen=True)
class RuleTable:
    version: str
    sha256: str
    parts: dict[str, str]
    """Part key → the text a scheme part's name must contain."""
    rules: tuple[Rule, ...]
    vetoes: tuple[VetoRule, ...]


@dataclass(frozen=True)
class SchemePart:
    key: str
    name: str
    points: float


def _rule(raw: dict[str, Any], parts: dict[str, str], where: str, problems: list[str]) -> Rule | None:
    start = len(problems)
    rid, source = raw.get("id"), raw.get("source")
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        problems.append(f"{where}: id {rid!r} is not a code like H01")
    if raw.get("part") not in parts:
        problems.append(f"{where}: part {raw.get('part')!r} is not one of [[parts]]")
    for name in ("text", "text_en"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            problems.append(f"{where}: {name} missing")
    if source not in RULE_SOURCES:
        problems.append(f"{where}: source {source!r} is not one of {', '.join(RULE_SOURCES)}")
    points, most = raw.get("points"), raw.get("max")
    if not isinstance(points, int | float) or points <= 0 or not isinstance(most, int | float) or most < points:
        problems.append(f"{where}: points must be > 0 and max ≥ points")
    if source == "gap" and raw.get("check") not in CHECK_CODES:
        problems.append(f"{where}: check {raw.get('check')!r} is not a gap check")
    if source == "target" and not (isinstance(raw.get("target"), str) and _KEY_RE.match(raw["target"])):
        problems.append(f"{where}: target key missing")
    areas = raw.get("areas", [])
    if source == "inspection" and (not areas or not all(isinstance(a, str) and _AREA_RE.match(a) for a in areas)):
        problems.append(f"{where}: areas must list risk-area codes (R03…)")
    unknown = set(raw) - {
        "id",
        "part",
        "text",
        "text_en",
        "source",
        "points",
        "max",
        "check",
        "severity",
        "target",
        "areas",
    }
    if unknown:
        problems.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    if len(problems) > start:
        return None
    return Rule(
        id=str(rid), part=str(raw["part"]), text=raw["text"], text_en=raw["text_en"], source=str(source), points=float(points),  # type: ignore[arg-type]
        max=float(most), check=raw.get("check"), severity=raw.get("severity"), target=raw.get("target"),  # type: ignore[arg-type]
        areas=tuple(areas),
    )  # fmt: skip


def _veto(raw: dict[str, Any], where: str, problems: list[str]) -> VetoRule | None:
    if (
        not isinstance(raw.get("id"), str)
        or not _ID_RE.match(raw["id"])
        or not all(str(raw.get(name, "")).strip() for name in ("text", "text_en"))
    ):
        problems.append(f"{where}: id, text and text_en are required")
        return None
    if raw.get("source") not in VETO_SOURCES:
        problems.append(f"{where}: source {raw.get('source')!r} is not one of {', '.join(VETO_SOURCES)}")
        return None
    return VetoRule(id=raw["id"], text=raw["text"], text_en=raw["text_en"], source=raw["source"])


@functools.lru_cache(maxsize=8)
def load_rules(version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT) -> RuleTable:
    """The rule table of ``version``; :class:`RuleTableError` lists every problem."""
    data, sha256, problems = read_versioned(root, version, RuleTableError)
    parts = {}
    for i, part in enumerate(data.get("parts") or []):
        if not (isinstance(part, dict) and _KEY_RE.match(str(part.get("key"))) and str(part.get("match", "")).strip()):
            problems.append(f"parts[{i}]: key and match are required")
        else:
            parts[part["key"]] = part["match"]
    rules = [_rule(r, parts, f"rules[{i}]", problems) for i, r in enumerate(data.get("rules") or [])]
    vetoes = [_veto(v, f"vetoes[{i}]", problems) for i, v in enumerate(data.get("vetoes") or [])]
    ids = [
        str(raw.get("id")) for raw in [*(data.get("rules") or []), *(data.get("vetoes") or [])] if isinstance(raw, dict)
    ]
    problems.extend(f"id {i!r} twice" for i in sorted({i for i in ids if ids.count(i) > 1}))
    if problems:
        raise RuleTableError(problems)
    return RuleTable(
        version=version, sha256=sha256, parts=parts,
        rules=tuple(r for r in rules if r), vetoes=tuple(v for v in vetoes if v),
    )  # fmt: skip


def match_parts(table: RuleTable, scheme: dict[str, Any] | None) -> tuple[SchemePart, ...]:
    """The scheme's parts in its order, each with the rule table's key whose ``match`` its name
    contains. :class:`SchemeError` when the county has no scheme, or a part matches no key or
    several, or a key matches no part (every problem at once)."""
    if not scheme or not isinstance(scheme.get("parts"), list) or not scheme["parts"]:
        raise SchemeError(["the county's import has no assessment_scheme with parts"])
    problems, out = [], []
    for i, part in enumerate(scheme["parts"]):
        name, points = str(part.get("part", "")), part.get("points")
        keys = [key for key, match in table.parts.items() if match in name]
        if len(keys) != 1 or not isinstance(points, int | float) or points <= 0:
            problems.append(f"scheme part {i + 1} {name!r}: matches {keys or 'no'} rule part(s), points {points!r}")
            continue
        out.append(SchemePart(key=keys[0], name=name, points=float(points)))
    missing = set(table.parts) - {p.key for p in out}
    problems.extend(f"rule part {key!r} ({table.parts[key]}) matches no scheme part" for key in sorted(missing))
    if problems:
        raise SchemeError(problems)
    return tuple(out)
