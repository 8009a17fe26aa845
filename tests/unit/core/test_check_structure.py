"""scripts/check_structure.py on small synthetic packages written to tmp_path."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check_structure.py"


def _load_checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_structure", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_structure"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


cs = _load_checker()


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """``files``: path inside the package ``pkg`` → source; every directory gets an ``__init__``."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(package).parents:
            init = package / parent / "__init__.py"
            if not init.exists():
                init.write_text("")
        path.write_text(textwrap.dedent(source))
    return package


def keys(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return [finding.key for finding in cs.check(write_tree(tmp_path, files), tmp_path)]


def test_a_two_module_cycle_is_reported_once_even_through_a_function_level_import(tmp_path):
    found = keys(tmp_path, {"a.py": "from . import b\n", "b.py": "def f():\n    from .a import x\n    return x\n"})
    assert found == ["cycle pkg.a -> pkg.b -> pkg.a"]


def test_a_three_module_cycle_is_one_finding_starting_at_its_smallest_module(tmp_path):
    found = keys(
        tmp_path,
        {"c.py": "import pkg.a\n", "a.py": "from pkg import b\n", "b.py": "from pkg.c import thing\n"},
    )
    assert found == ["cycle pkg.a -> pkg.b -> pkg.c -> pkg.a"]


def test_a_package_init_that_re_exports_is_part_of_the_cycle(tmp_path):
    found = keys(tmp_path, {"sub/__init__.py": "from .impl import run\n", "sub/impl.py": "from . import helper\n"})
    # "from . import helper" reads the name helper of pkg.sub (no such module): the package itself.
    assert found == ["cycle pkg.sub -> pkg.sub.impl -> pkg.sub"]


def test_type_checking_imports_do_not_count_but_their_else_branch_does(tmp_path):
    guarded = {
        "a.py": "from .b import B\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A\nclass B: ...\n",
    }
    assert keys(tmp_path, guarded) == []

    (tmp_path / "pkg").rename(tmp_path / "old")
    with_else = dict(
        guarded, **{"b.py": "import typing\nif typing.TYPE_CHECKING:\n    pass\nelse:\n    from .a import A\n"}
    )
    assert keys(tmp_path, with_else) == ["cycle pkg.a -> pkg.b -> pkg.a"]


def test_cycles_inside_models_are_not_checked(tmp_path):
    found = keys(tmp_path, {"models/x.py": "from .y import Y\n", "models/y.py": "from .x import X\n"})
    assert found == []


def test_private_names_are_found_on_multi_line_relative_and_absolute_imports(tmp_path):
    found = keys(
        tmp_path,
        {
            "b.py": "_hidden = 1\n_other = 2\npublic = 3\n__version__ = '1'\n",
            "a.py": "from .b import (\n    public,\n    _hidden,\n)\nfrom pkg.b import _other, __version__\nfrom os import _exit\n",
        },
    )
    assert found == ["private-import pkg/a.py: pkg.b._hidden", "private-import pkg/a.py: pkg.b._other"]


def test_an_over_long_function_is_measured_from_def_to_end_without_decorators(tmp_path):
    body = "    x = 1\n" * 79  # def line + 79 = 80 lines: allowed
    source = f"import functools\n\n@functools.cache\n@functools.wraps(print)\ndef fits():\n{body}\n"
    method_body = "        x = 1\n" * 80
    source += f"class Service:\n    def too_long(self):\n{method_body}"  # def + 80 = 81 lines
    findings = cs.check(write_tree(tmp_path, {"a.py": source}), tmp_path)
    assert [(f.key, f.line) for f in findings] == [("function-lines pkg/a.py::Service.too_long", 87)]
    assert "81 lines" in findings[0].message


def test_a_module_over_400_lines_is_reported(tmp_path):
    found = keys(tmp_path, {"small.py": "x = 1\n" * 400, "big.py": "x = 1\n" * 401})
    assert found == ["module-lines pkg/big.py"]


def test_a_clean_tree_passes(tmp_path, capsys):
    package = write_tree(
        tmp_path,
        {
            "a.py": "from .b import public\n",
            "b.py": "import os\npublic = os.sep\n",
            "sub/c.py": "from ..a import public\n",
        },
    )
    assert cs.main(["--root", str(package), "--allowlist", str(tmp_path / "none.txt")]) == 0
    assert capsys.readouterr().out.strip() == (
        "check_structure: 0 findings, 0 allowed, 0 not allowed, 0 stale allowlist entries"
    )


def test_findings_fail_unless_allowlisted_and_allowed_ones_stay_visible(tmp_path, capsys):
    package = write_tree(tmp_path, {"a.py": "from .b import _x\n", "b.py": "from . import a\n_x = 1\n"})
    allowlist = tmp_path / "allow.txt"

    assert cs.main(["--root", str(package), "--allowlist", str(allowlist)]) == 1
    out = capsys.readouterr().out
    assert "pkg/a.py:1: private name _x imported from pkg.b  [private-import pkg/a.py: pkg.b._x]" in out
    assert "pkg/a.py:1: import cycle pkg.a -> pkg.b -> pkg.a" in out

    allowlist.write_text(
        "# known today\n"
        "private-import pkg/a.py: pkg.b._x  # being published\n"
        "cycle pkg.a -> pkg.b -> pkg.a\n"
        "module-lines pkg/gone.py  # already split\n"
    )
    assert cs.main(["--root", str(package), "--allowlist", str(allowlist)]) == 0
    out = capsys.readouterr().out
    assert "pkg/a.py:1: allowed: private name _x imported from pkg.b" in out
    assert "allowlist: no longer found, remove it: module-lines pkg/gone.py" in out
    assert out.splitlines()[-1] == "check_structure: 2 findings, 2 allowed, 0 not allowed, 1 stale allowlist entries"


@pytest.mark.parametrize("level_source", ["from ... import x\n", "from ...far import y\n"])
def test_relative_imports_above_the_root_are_ignored(tmp_path, level_source):
    assert keys(tmp_path, {"a.py": level_source}) == []
