"""The versioned checklist catalogue (``checklists/<version>/``): items per risk area, each with
its text, its scope and the school features it applies to.

A version directory holds ``manifest.toml`` (``version``, ``title``, the known ``features``) and
one ``Rxx.toml`` per risk area (``area``, ``name``, ``[[items]]`` with ``id``, ``text``,
``scope``, ``applies_when``). :func:`load_catalogue` checks everything before it returns a frozen
:class:`Catalogue`, and lists every problem at once in :class:`~.errors.CatalogueError`, the way
the agreement templates are loaded. Applicability is pure data: an item whose ``applies_when`` is
``["all"]`` is on every school's checklist, any other item only on the checklists of schools that
have at least one of its features (so a school without a bus gets no bus items).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CatalogueError

__all__ = [
    "ALL",
    "DEFAULT_ROOT",
    "DEFAULT_VERSION",
    "SCOPES",
    "Catalogue",
    "ChecklistItem",
    "applicable_items",
    "load_catalogue",
]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "checklists"
"""``<project>/checklists``."""
DEFAULT_VERSION = "2025-v1"
ALL = "all"
SCOPES = ("building", "grid", "school")
"""逐栋, 逐网格, 逐校: what one answer of the item covers."""
_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
_AREA_RE = re.compile(r"^R\d{2}$")
_ITEM_RE = re.compile(r"^(R\d{2})-\d{2}$")
MAX_TEXT = 500


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    """``R03-01``: the area code, a dash, a number."""
    area: str
    """The risk-area code of the import's ``risk_areas`` (``R03``)."""
    text: str
    scope: str
    """One of :data:`SCOPES`."""
    applies_when: tuple[str, ...]
    """``("all",)`` or the school features of which any one makes the item apply."""

    def applies_to(self, features: Iterable[str] | None) -> bool:
        if self.applies_when == (ALL,):
            return True
        return not set(self.applies_when).isdisjoint(features or ())

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "area": self.area,
            "text": self.text,
            "scope": self.scope,
            "applies_when": list(self.applies_when),
        }


@dataclass(frozen=True)
class Catalogue:
    version: str
    title: str
    features: frozenset[str]
    area_names: dict[str, str]
    """Area code → the area's name in the catalogue, in file order."""
    items: tuple[ChecklistItem, ...]
    content_hash: str
    """SHA-256 over the catalogue's files, recorded with each round."""

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(self.area_names)


def applicable_items(
    catalogue: Catalogue, features: Iterable[str] | None, areas: Sequence[str] | None = None
) -> list[ChecklistItem]:
    """The school's checklist: the items of ``areas`` (all when None) that apply to ``features``."""
    wanted = set(areas) if areas else None
    have = list(features or ())
    return [i for i in catalogue.items if (wanted is None or i.area in wanted) and i.applies_to(have)]


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"missing file {path.name}")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name} is not valid TOML: {exc}")
    return {}


def _item(raw: Any, where: str, area: str, features: frozenset[str], problems: list[str]) -> ChecklistItem | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: an item must be a table")
        return None
    item_id, text, scope, when = raw.get("id"), raw.get("text"), raw.get("scope"), raw.get("applies_when")
    before = len(problems)
    match = _ITEM_RE.match(item_id) if isinstance(item_id, str) else None
    if match is None:
        problems.append(f"{where}: bad item id {item_id!r}")
    elif match.group(1) != area:
        problems.append(f"{where}: item {item_id} is not of area {area}")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        problems.append(f"{where}: item {item_id!r} needs a text of 1–{MAX_TEXT} characters")
    if scope not in SCOPES:
        problems.append(f"{where}: item {item_id!r} has scope {scope!r}, not one of {', '.join(SCOPES)}")
    if not isinstance(when, list) or not when or not all(isinstance(f, str) for f in when):
        problems.append(f"{where}: item {item_id!r} needs applies_when, a non-empty list of features")
    elif ALL in when and len(when) > 1:
        problems.append(f"{where}: item {item_id!r}: 'all' cannot be combined with features")
    elif ALL not in when and (unknown := sorted(set(when) - features)):
        problems.append(f"{where}: item {item_id!r} names unknown features {unknown}")
    extra = sorted(set(raw) - {"id", "text", "scope", "applies_when"})
    if extra:
        problems.append(f"{where}: item {item_id!r} has unknown keys {extra}")
    if len(problems) > before:
        return None
    return ChecklistItem(
        id=str(item_id), area=area, text=str(text).strip(), scope=str(scope), applies_when=tuple(when or ())
    )


def _area_file(path: Path, features: frozenset[str], problems: list[str]) -> tuple[str, str, list[ChecklistItem]]:
    doc = _read(path, problems)
    area, name = doc.get("area"), doc.get("name")
    if not isinstance(area, str) or not _AREA_RE.match(area) or path.stem != area:
        problems.append(f"{path.name}: area must be the file's name (Rxx), not {area!r}")
        return "", "", []
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{path.name}: the area needs a name")
    raw_items = doc.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(f"{path.name}: no [[items]]")
        return area, str(name), []
    items = [_item(raw, path.name, area, features, problems) for raw in raw_items]
    return area, str(name), [i for i in items if i is not None]


def load_catalogue(version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT) -> Catalogue:
    """Load and validate ``root/version``; raises :class:`CatalogueError` listing every problem."""
    if not _VERSION_RE.match(version):
        raise CatalogueError(version, ["the version must look like 2025-v1"])
    directory = Path(root) / version
    if not directory.is_dir():
        raise CatalogueError(version, [f"no catalogue directory {directory}"])
    problems: list[str] = []
    manifest = _read(directory / "manifest.toml", problems)
    if manifest and manifest.get("version") != version:
        problems.append(f"manifest.toml: version {manifest.get('version')!r} is not the directory's {version!r}")
    title = manifest.get("title")
    if manifest and (not isinstance(title, str) or not title.strip()):
        problems.append("manifest.toml: a title is required")
    raw_features = manifest.get("features", [])
    features = (
        frozenset(f for f in raw_features if isinstance(f, str)) if isinstance(raw_features, list) else frozenset()
    )
    if manifest and not features:
        problems.append("manifest.toml: features must list the school features items may name")
    names: dict[str, str] = {}
    items: list[ChecklistItem] = []
    files = sorted(directory.glob("R*.toml"))
    if not files:
        problems.append("no area files (R03.toml …)")
    for path in files:
        area, name, area_items = _area_file(path, features, problems)
        if area:
            names[area] = name
            items.extend(area_items)
    counts = Counter(i.id for i in items)
    problems.extend(f"item id {item_id} is used twice" for item_id, n in counts.items() if n > 1)
    if problems:
        raise CatalogueError(version, problems)
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return Catalogue(
        version=version,
        title=str(title),
        features=features,
        area_names=names,
        items=tuple(items),
        content_hash=digest.hexdigest(),
    )
