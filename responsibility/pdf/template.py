"""Loading and validating a versioned agreement template from ``pdf_templates/``.

A template version is a directory of TOML files (``manifest.toml``, ``sections.toml``,
``clauses.toml``). It is loaded into frozen dataclasses after checking everything the renderer
relies on, so a broken template fails here with the full list of problems instead of half-way
through a batch. ``AgreementTemplate.content_hash`` is a SHA-256 over the files themselves:
anyone holding the template directory can recompute it and prove which text a school signed.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from responsibility.pdf.errors import TemplateError
from responsibility.pdf.vocabulary import (
    FEATURES,
    PARAMETER_PLACEHOLDERS,
    PARTY_PLACEHOLDERS,
    SCHOOL_PLACEHOLDERS,
    SCHOOL_TYPES,
    TARGET_PREFIX,
)

__all__ = [
    "DEFAULT_ROOT",
    "REQUIRED_SECTIONS",
    "AgreementTemplate",
    "Block",
    "Clause",
    "Condition",
    "Cover",
    "Section",
    "TargetSpec",
    "load_template",
    "placeholders_in",
    "template_files_hash",
    "template_versions",
]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "pdf_templates"  # <project>/pdf_templates

REQUIRED_SECTIONS: tuple[str, ...] = (
    "general",
    "parties",
    "targets",
    "party_a_duties",
    "party_b_clauses",
    "assessment",
    "term",
    "supplementary",
    "signatures",
    "annex_posts",
    "annex_grids",
)
"""Section ids the renderer places, in document order (the cover comes first)."""

# Extra keys some sections must carry, with the number of column labels where it is a list.
_SECTION_KEYS: dict[str, dict[str, int | None]] = {
    "party_b_clauses": {"columns": 4},
    "annex_posts": {"columns": 5},
    "annex_grids": {"columns": 5, "building_columns": 5, "building_heading": None},
    "signatures": {"party_a": None, "party_b": None, "date_line": None},
}
_BLOCK_KINDS = frozenset({"para", "subheading", "list"})
_VERSION_RE = re.compile(r"^[a-z0-9_]+/[A-Za-z0-9][A-Za-z0-9._-]*$")
_BRACES_RE = re.compile(r"\{([^{}]*)\}")
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")
_CODE_RE = re.compile(r"^C\d{2}$")


@dataclass(frozen=True)
class Block:
    """One paragraph, sub-heading or list of items of a section."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    blocks: tuple[Block, ...] = ()
    columns: tuple[str, ...] = ()
    """Table column labels (clause table and annexes)."""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Section-specific strings (signature labels, the building table of Annex 2)."""


@dataclass(frozen=True)
class Cover:
    title: str
    lines: tuple[str, ...]
    date_line: str
    notice: str


@dataclass(frozen=True)
class Condition:
    """Matches a school whose type is in ``types`` or which has one of ``features``."""

    types: frozenset[str] = frozenset()
    features: frozenset[str] = frozenset()

    def matches(self, school_type: str, features: frozenset[str]) -> bool:
        return school_type in self.types or bool(self.features & features)


@dataclass(frozen=True)
class Clause:
    """One clause of the catalogue; ``text`` and ``target`` may hold placeholders."""

    code: str
    risk_area: str
    text: str
    target: str
    when: Condition | None = None
    """None: applies to every school."""
    unless: Condition | None = None


@dataclass(frozen=True)
class TargetSpec:
    key: str
    label: str
    suggested: str


@dataclass(frozen=True)
class AgreementTemplate:
    version: str
    """``family/version``, e.g. ``winter_spring/2025-v1``."""
    title: str
    cover: Cover
    sections: Mapping[str, Section]
    clauses: tuple[Clause, ...]
    targets: tuple[TargetSpec, ...]
    content_hash: str
    """Hex SHA-256 over the template's files (see ``_hash_files``)."""

    def section(self, section_id: str) -> Section:
        return self.sections[section_id]

    def suggested_targets(self) -> dict[str, str]:
        """The template's suggested target values; a campaign may override any of them."""
        return {t.key: t.suggested for t in self.targets}


def placeholders_in(text: str) -> list[str]:
    """Placeholder names of ``text`` in order (``{name}`` or ``{target.key}``)."""
    return _BRACES_RE.findall(text)


def template_versions(root: Path = DEFAULT_ROOT) -> list[str]:
    """Every ``family/version`` under ``root`` that has a manifest, sorted (what a form offers)."""
    found = (p.parent.relative_to(root).as_posix() for p in Path(root).glob("*/*/manifest.toml"))
    return sorted(v for v in found if _VERSION_RE.match(v))


def load_template(version: str, root: Path = DEFAULT_ROOT) -> AgreementTemplate:
    """Load and validate ``root/version``. Raises ``TemplateError`` listing every problem."""
    if not _VERSION_RE.match(version):
        raise TemplateError(version, ["the version must look like 'family/version', e.g. winter_spring/2025-v1"])
    directory = Path(root) / version
    if not directory.is_dir():
        raise TemplateError(version, ["no such template"])  # never the server's path
    problems: list[str] = []
    docs: dict[str, dict[str, Any]] = {}
    for name in ("manifest.toml", "sections.toml", "clauses.toml"):
        path = directory / name
        try:
            docs[name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(f"missing file {name}")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{name} is not valid TOML: {exc}")
    if problems:
        raise TemplateError(version, problems)

    manifest = docs["manifest.toml"]
    targets = _targets(manifest, problems)
    target_keys = {t.key for t in targets}
    cover = _cover(docs["sections.toml"], problems)
    sections = _sections(docs["sections.toml"], problems)
    clauses = _clauses(docs["clauses.toml"], problems)
    title = _string(manifest, "title", "manifest.toml", problems)

    for where, text in _all_texts(title, cover, sections, clauses):
        problems.extend(_placeholder_problems(where, text, target_keys))
    if problems:
        raise TemplateError(version, problems)
    return AgreementTemplate(
        version=version,
        title=title,
        cover=cover,
        sections=MappingProxyType(sections),
        clauses=tuple(clauses),
        targets=tuple(targets),
        content_hash=_hash_files(directory),
    )


def template_files_hash(directory: Path) -> str:
    """The content hash of a template directory (the same framing for every template family)."""
    return _hash_files(directory)


def _hash_files(directory: Path) -> str:
    """SHA-256 over every file of the directory in name order, each framed by its name and size.

    Line endings are normalised to LF so a checkout with CRLF conversion hashes the same.
    """
    digest = hashlib.sha256(b"responsibility-agreement-template/1\n")
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        data = path.read_bytes().replace(b"\r\n", b"\n")
        name = path.relative_to(directory).as_posix().encode()
        digest.update(b"%s\0%d\0" % (name, len(data)))
        digest.update(data)
    return digest.hexdigest()


def _string(table: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: missing text {key!r}")
        return ""
    return value


def _strings(table: Mapping[str, Any], key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: {key!r} must be a list of texts")
        return ()
    return tuple(value)


def _targets(manifest: Mapping[str, Any], problems: list[str]) -> list[TargetSpec]:
    table = manifest.get("targets", {})
    if not isinstance(table, dict):
        problems.append("manifest.toml: [targets] must be a table")
        return []
    specs = []
    for key, spec in table.items():
        if not isinstance(spec, dict) or not re.match(r"^[a-z_][a-z0-9_]*$", key):
            problems.append(f"manifest.toml: target {key!r} must be a table with label and suggested")
            continue
        label = _string(spec, "label", f"target {key}", problems)
        suggested = spec.get("suggested")
        if not isinstance(suggested, str | int):
            problems.append(f"manifest.toml: target {key!r} needs a suggested value")
            suggested = ""
        specs.append(TargetSpec(key=key, label=label, suggested=str(suggested)))
    return specs


def _cover(doc: Mapping[str, Any], problems: list[str]) -> Cover:
    table = doc.get("cover")
    if not isinstance(table, dict):
        problems.append("missing section 'cover'")
        return Cover("", (), "", "")
    return Cover(
        title=_string(table, "title", "cover", problems),
        lines=_strings(table, "lines", "cover", problems),
        date_line=_string(table, "date_line", "cover", problems),
        notice=_string(table, "notice", "cover", problems),
    )


def _sections(doc: Mapping[str, Any], problems: list[str]) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    for raw in doc.get("sections", []):
        sid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(sid, str):
            problems.append("sections.toml: a section without an id")
            continue
        if sid in sections:
            problems.append(f"duplicate section {sid!r}")
            continue
        if sid not in REQUIRED_SECTIONS:
            problems.append(f"unknown section {sid!r}")
            continue
        blocks = []
        for i, b in enumerate(raw.get("blocks", [])):
            kind = b.get("kind")
            if kind not in _BLOCK_KINDS:
                problems.append(f"section {sid}: block {i + 1} has unknown kind {kind!r}")
                continue
            if kind == "list":
                blocks.append(Block(kind, items=_strings(b, "items", f"section {sid}", problems)))
            else:
                blocks.append(Block(kind, text=_string(b, "text", f"section {sid}", problems)))
        extra: dict[str, Any] = {}
        columns: tuple[str, ...] = ()
        for key, count in _SECTION_KEYS.get(sid, {}).items():
            if count is None:
                extra[key] = _string(raw, key, f"section {sid}", problems)
                continue
            labels = _strings(raw, key, f"section {sid}", problems)
            if len(labels) != count:
                problems.append(f"section {sid}: {key!r} needs {count} labels, has {len(labels)}")
            if key == "columns":
                columns = labels
            else:
                extra[key] = labels
        heading = _string(raw, "heading", f"section {sid}", problems)
        sections[sid] = Section(sid, heading, tuple(blocks), columns, MappingProxyType(extra))
    missing = [s for s in REQUIRED_SECTIONS if s not in sections]
    if missing:
        problems.append("missing section(s) " + ", ".join(missing))
    return sections


def _condition(raw: Any, where: str, problems: list[str]) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"types", "features"}:
        problems.append(f"{where}: a condition has only 'types' and 'features'")
        return None
    types = frozenset(_strings(raw, "types", where, problems))
    features = frozenset(_strings(raw, "features", where, problems))
    for name in sorted(types - SCHOOL_TYPES):
        problems.append(f"{where}: unknown school type {name!r}")
    for name in sorted(features - FEATURES):
        problems.append(f"{where}: unknown feature {name!r}")
    if not types and not features:
        problems.append(f"{where}: an empty condition")
    return Condition(types, features)


def _clauses(doc: Mapping[str, Any], problems: list[str]) -> list[Clause]:
    clauses: list[Clause] = []
    seen: set[str] = set()
    raw_clauses = doc.get("clauses")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        problems.append("clauses.toml: no [[clauses]]")
        return clauses
    for raw in raw_clauses:
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE_RE.match(code):
            problems.append(f"clauses.toml: bad clause code {code!r}")
            continue
        if code in seen:
            problems.append(f"duplicate clause {code}")
            continue
        seen.add(code)
        where = f"clause {code}"
        clauses.append(
            Clause(
                code=code,
                risk_area=_string(raw, "risk_area", where, problems),
                text=_string(raw, "text", where, problems),
                target=_string(raw, "target", where, problems),
                when=_condition(raw.get("when"), f"{where} when", problems),
                unless=_condition(raw.get("unless"), f"{where} unless", problems),
            )
        )
    return sorted(clauses, key=lambda c: c.code)


def _all_texts(
    title: str, cover: Cover, sections: Mapping[str, Section], clauses: Iterable[Clause]
) -> Iterable[tuple[str, str]]:
    yield "title", title
    for i, text in enumerate((cover.title, *cover.lines, cover.date_line, cover.notice)):
        yield f"cover line {i + 1}", text
    for sid, section in sections.items():
        yield f"section {sid} heading", section.heading
        for i, block in enumerate(section.blocks):
            for text in (block.text, *block.items):
                yield f"section {sid} block {i + 1}", text
        for key, value in section.extra.items():
            for text in value if isinstance(value, tuple) else (value,):
                yield f"section {sid} {key}", text
    for clause in clauses:
        yield f"clause {clause.code}", clause.text
        yield f"clause {clause.code} target", clause.target


def _placeholder_problems(where: str, text: str, target_keys: set[str]) -> list[str]:
    problems = []
    for name in placeholders_in(text):
        if not _NAME_RE.match(name):
            problems.append(f"{where}: malformed placeholder {{{name}}}")
        elif name.startswith(TARGET_PREFIX):
            if name[len(TARGET_PREFIX) :] not in target_keys:
                problems.append(f"{where}: unknown placeholder {{{name}}} (not declared in [targets])")
        elif name not in PARAMETER_PLACEHOLDERS and name not in SCHOOL_PLACEHOLDERS and name not in PARTY_PLACEHOLDERS:
            problems.append(f"{where}: unknown placeholder {{{name}}}")
    if _BRACES_RE.sub("", text).count("{") or _BRACES_RE.sub("", text).count("}"):
        problems.append(f"{where}: unbalanced brace")
    return problems
