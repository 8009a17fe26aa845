"""The incident catalogue (``incidents/<version>.toml``): the kinds (with whether each is on the
veto list) and the severities, loaded and checked whole (every problem listed at once)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..versioned_toml import coded_entries, read_versioned
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


def _veto_problem(raw: dict[str, Any]) -> str | None:
    return None if isinstance(raw.get("veto"), bool) else "veto must be true or false"


@functools.lru_cache(maxsize=8)
def load_catalogue(version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT) -> IncidentCatalogue:
    """The catalogue of ``version``; :class:`IncidentCatalogueError` lists every problem."""
    data, _, problems = read_versioned(root, version, IncidentCatalogueError)
    kinds = coded_entries(data, "kinds", _KIND_RE, problems, _veto_problem)
    severities = coded_entries(data, "severities", _CODE_RE, problems)
    if problems:
        raise IncidentCatalogueError(problems)
    return IncidentCatalogue(
        version=version,
        kinds=tuple(IncidentKind(k["code"], k["name"], k["name_en"], bool(k["veto"])) for k in kinds),
        severities=tuple(Severity(s["code"], s["name"], s["name_en"]) for s in severities),
    )
