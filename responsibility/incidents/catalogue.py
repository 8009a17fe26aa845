"""The incident catalogue (``incidents/<version>.toml``): the kinds (with whether each is on the
veto list) and the severities, loaded and checked whole (every problem listed at once)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..versioned_toml import read_versioned
from .errors import IncidentCatalogueError

__all__ = ["DEFAULT_ROOT", "DEFAULT_VERSION", "IncidentCatalogue", "IncidentKind", "Severity", "load_catalogue"]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "incidents"
DEFAULT_VERSION = "2025-v1"
_KIND_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class IncidentKind:
    code: str
    name: str
    name_en: str
    veto: bool
    """On the veto list (一票否决)."""


@dataclass(frozen=True)
class Severity:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class IncidentCatalogue:
    version: str
    kinds: tuple[IncidentKind, ...]
    severities: tuple[Severity, ...]

    def kind(self, code: str) -> IncidentKind | None:
        return next((k for k in self.kinds if k.code == code), None)

    def severity(self, code: str) -> Severity | None:
        return next((s for s in self.severities if s.code == code), None)


def _entries(data: dict[str, Any], key: str, pattern: re.Pattern[str], problems: list[str]) -> list[dict[str, Any]]:
    out = []
    for i, raw in enumerate(data.get(key) or []):
        where = f"{key}[{i}]"
        if not isinstance(raw, dict) or not pattern.match(str(raw.get("code", ""))):
            problems.append(f"{where}: code missing or malformed")
        elif not str(raw.get("name", "")).strip() or not str(raw.get("name_en", "")).strip():
            problems.append(f"{where}: name and name_en are required")
        elif key == "kinds" and not isinstance(raw.get("veto"), bool):
            problems.append(f"{where}: veto must be true or false")
        else:
            out.append(raw)
    codes = [str(r["code"]) for r in out]
    problems.extend(f"{key}: code {c!r} twice" for c in sorted({c for c in codes if codes.count(c) > 1}))
    if not out:
        problems.append(f"no [[{key}]]")
    return out


@functools.lru_cache(maxsize=8)
def load_catalogue(version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT) -> IncidentCatalogue:
    """The catalogue of ``version``; :class:`IncidentCatalogueError` lists every problem."""
    data, _, problems = read_versioned(root, version, IncidentCatalogueError)
    kinds = _entries(data, "kinds", _KIND_RE, problems)
    severities = _entries(data, "severities", _CODE_RE, problems)
    if problems:
        raise IncidentCatalogueError(problems)
    return IncidentCatalogue(
        version=version,
        kinds=tuple(IncidentKind(k["code"], k["name"], k["name_en"], bool(k["veto"])) for k in kinds),
        severities=tuple(Severity(s["code"], s["name"], s["name_en"]) for s in severities),
    )
