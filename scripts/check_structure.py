#!/usr/bin/env python3
"""Structure checks of the ``responsibility`` package that ruff and import-linter do not make.

Run by ``make lint`` and ``make test``; standard library only, so it runs before anything else is
installed. It reads the source with :mod:`ast` (nothing is imported) and finds:

``cycle``
    an import cycle among modules outside ``responsibility/models/`` (the models package is one
    mapped registry whose modules may refer to each other). Every ``import`` / ``from … import`` in
    the module counts, at any depth (function-level imports hide a cycle, they do not remove it),
    except those under ``if TYPE_CHECKING:``: they never run, so they cannot make the import order
    matter, and they are how an annotation names a type of a layer above without depending on it.
    ``from pkg import name`` imports ``pkg.name`` when that is a module, else ``pkg`` (so a package
    ``__init__`` that re-exports its modules is part of any cycle through it). Each elementary
    cycle is reported once, starting from its smallest module: ``a -> b -> a``.
``private-import``
    a private name (``_x``, not a dunder) imported from another module of the package, relative or
    absolute, on one line or many: a module's private helpers are its own; publish what others need.
``module-lines`` / ``function-lines``
    a module over 400 lines, a function or method over 80 (``def`` line to last line, decorators
    not counted).

Each finding is printed as ``path:line: message``. Findings whose key is listed in
``scripts/structure_allowlist.txt`` (one key per line, ``#`` starts the reason) are printed as
``allowed`` and do not fail; the exit status is 1 when any finding is not allowed, else 0. The keys
carry no line numbers, so an allowlisted finding stays allowed while the code around it moves.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

PROJECT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
#: Modules of this subpackage (and the package itself) are left out of the cycle check.
CYCLE_EXEMPT = "models"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    """File relative to the project root (POSIX separators)."""
    line: int
    message: str
    key: str
    """What the allowlist names: the kind and the place, without line numbers."""


@dataclass
class Module:
    name: str
    """Dotted name, e.g. ``responsibility.chain.trace``."""
    path: Path
    tree: ast.Module
    lines: int
    is_package: bool
    imports: list[tuple[int, str, tuple[str, ...], bool]] = field(default_factory=list)
    """(line, imported module, names taken from it, under TYPE_CHECKING) per import statement."""


# --- reading ------------------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST, guarded: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement below ``node`` with whether it sits under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, guarded
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _import_nodes(ast.Module(body=[stmt], type_ignores=[]), True)
            for stmt in child.orelse:
                yield from _import_nodes(ast.Module(body=[stmt], type_ignores=[]), guarded)
        else:
            yield from _import_nodes(child, guarded)


def _resolve_from(module: Module, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from … import`` reads from; None when it climbs above the root."""
    if node.level == 0:
        return node.module
    parts = module.name.split(".")
    package = parts if module.is_package else parts[:-1]
    if node.level - 1 > len(package) - 1:
        return None
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def read_package(root: Path) -> dict[str, Module]:
    """Every module of the package at ``root`` (a directory with ``__init__.py``), by dotted name."""
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        text = path.read_text(encoding="utf-8")
        module = Module(".".join(parts), path, ast.parse(text, str(path)), len(text.splitlines()), is_package)
        for node, guarded in _import_nodes(module.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    module.imports.append((node.lineno, alias.name, (), guarded))
            else:
                source = _resolve_from(module, node)
                if source is not None:
                    names = tuple(alias.name for alias in node.names)
                    module.imports.append((node.lineno, source, names, guarded))
        modules[module.name] = module
    return modules


# --- checks -------------------------------------------------------------------------------------


def _where(module: Module, project: Path) -> str:
    try:
        return module.path.relative_to(project).as_posix()
    except ValueError:
        return module.path.as_posix()


def import_graph(modules: dict[str, Module], exempt: str | None) -> dict[str, dict[str, int]]:
    """module → {imported module: line of the first import}, runtime imports among ``modules`` only."""

    def skipped(name: str) -> bool:
        return exempt is not None and (name == exempt or name.startswith(exempt + "."))

    graph: dict[str, dict[str, int]] = {}
    for name, module in modules.items():
        if skipped(name):
            continue
        edges = graph.setdefault(name, {})
        for line, source, names, guarded in module.imports:
            if guarded:
                continue
            targets = [f"{source}.{n}" if f"{source}.{n}" in modules else source for n in names] or [source]
            for target in targets:
                if target in modules and target != name and not skipped(target):
                    edges.setdefault(target, line)
    return graph


def _components(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, {})))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def simple_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every elementary cycle once, as a path starting (and implicitly ending) at its smallest module.

    Within each strongly connected component, a depth-first search from each module finds the cycles
    through it that visit only larger modules, so every cycle is found from its smallest member alone.
    """
    cycles: list[list[str]] = []
    for component in _components(graph):
        members = set(component)
        for start in component:
            allowed = {m for m in members if m >= start}
            path = [start]
            work = [iter(sorted(t for t in graph[start] if t in allowed))]
            while work:
                target = next(work[-1], None)
                if target is None:
                    work.pop()
                    path.pop()
                elif target == start:
                    cycles.append(list(path))
                elif target not in path:
                    path.append(target)
                    work.append(iter(sorted(t for t in graph[target] if t in allowed)))
    return sorted(cycles)


def check_cycles(modules: dict[str, Module], project: Path) -> list[Finding]:
    graph = import_graph(modules, f"{_root_name(modules)}.{CYCLE_EXEMPT}")
    findings = []
    for cycle in simple_cycles(graph):
        text = " -> ".join([*cycle, cycle[0]])
        first = modules[cycle[0]]
        line = graph[cycle[0]][cycle[1 % len(cycle)]]
        findings.append(Finding(_where(first, project), line, f"import cycle {text}", f"cycle {text}"))
    return findings


def check_private_imports(modules: dict[str, Module], project: Path) -> list[Finding]:
    root = _root_name(modules)
    findings = []
    for module in modules.values():
        for line, source, names, _guarded in module.imports:
            if source != root and not source.startswith(root + "."):
                continue
            for name in names:
                if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                    where = _where(module, project)
                    findings.append(
                        Finding(
                            where,
                            line,
                            f"private name {name} imported from {source}",
                            f"private-import {where}: {source}.{name}",
                        )  # fmt: skip
                    )
    return findings


def _functions(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + child.name, child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def check_sizes(modules: dict[str, Module], project: Path) -> list[Finding]:
    findings = []
    for module in modules.values():
        where = _where(module, project)
        if module.lines > MAX_MODULE_LINES:
            message = f"module has {module.lines} lines (at most {MAX_MODULE_LINES})"
            findings.append(Finding(where, 1, message, f"module-lines {where}"))
        for qualname, function in _functions(module.tree):
            length = (function.end_lineno or function.lineno) - function.lineno + 1
            if length > MAX_FUNCTION_LINES:
                message = f"function {qualname} has {length} lines (at most {MAX_FUNCTION_LINES})"
                findings.append(Finding(where, function.lineno, message, f"function-lines {where}::{qualname}"))
    return findings


def _root_name(modules: dict[str, Module]) -> str:
    return min(modules, key=len)


def check(root: Path, project: Path) -> list[Finding]:
    """All findings for the package directory ``root``; paths are shown relative to ``project``."""
    modules = read_package(root)
    if not modules:
        return []
    return sorted(
        check_cycles(modules, project) + check_private_imports(modules, project) + check_sizes(modules, project)
    )


# --- allowlist and report -----------------------------------------------------------------------


def read_allowlist(path: Path) -> set[str]:
    """Keys of ``path``: one per line; ``#`` starts a comment (the reason); blank lines ignored."""
    if not path.is_file():
        return set()
    keys = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        key = raw.split("#", 1)[0].strip()
        if key:
            keys.add(key)
    return keys


def report(findings: Iterable[Finding], allowed: set[str], out: TextIO | None = None) -> int:
    """Print the findings and a summary (to stdout by default); the exit status (1 when a finding
    is not allowlisted)."""
    out = out or sys.stdout
    findings = list(findings)
    new = 0
    for finding in findings:
        if finding.key in allowed:
            print(f"{finding.path}:{finding.line}: allowed: {finding.message}", file=out)
        else:
            new += 1
            print(f"{finding.path}:{finding.line}: {finding.message}  [{finding.key}]", file=out)
    stale = sorted(allowed - {f.key for f in findings})
    for key in stale:
        print(f"allowlist: no longer found, remove it: {key}", file=out)
    print(f"check_structure: {len(findings)} findings, {len(findings) - new} allowed, {new} not allowed, "
          f"{len(stale)} stale allowlist entries", file=out)  # fmt: skip
    return 1 if new else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=PROJECT / "responsibility", help="package directory to check")
    parser.add_argument("--allowlist", type=Path, default=PROJECT / "scripts" / "structure_allowlist.txt")
    parser.add_argument("--keys", action="store_true", help="print only the finding keys (to fill an allowlist)")
    args = parser.parse_args(argv)
    project = args.root.resolve().parent
    findings = check(args.root.resolve(), project)
    if args.keys:
        for finding in findings:
            print(finding.key)
        return 0
    return report(findings, read_allowlist(args.allowlist))


if __name__ == "__main__":
    sys.exit(main())
