"""Both coded catalogues (accountability, incidents) check their entries through one helper."""

from pathlib import Path

import pytest

from responsibility.accountability.catalogue import load_catalogue as load_accountability
from responsibility.accountability.errors import AccountabilityCatalogueError


def test_the_shipped_accountability_catalogue_loads() -> None:
    catalogue = load_accountability()
    assert catalogue.forms and catalogue.degrees
    assert all(catalogue.form(f.code) is f for f in catalogue.forms)


def test_a_bad_accountability_catalogue_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'version = "other"\n'
        '[[forms]]\ncode = "Warn"\nname = "警告"\nname_en = "Warning"\n'
        '[[forms]]\ncode = "talk"\nname = "约谈"\nname_en = ""\n'
        '[[degrees]]\ncode = "main"\nname = "主要"\nname_en = "Main"\n'
        '[[degrees]]\ncode = "main"\nname = "主要"\nname_en = "Main"\n',
        encoding="utf-8",
    )
    with pytest.raises(AccountabilityCatalogueError) as err:
        load_accountability("bad", tmp_path)
    problems = err.value.problems
    assert "bad.toml: version 'other' is not 'bad'" in problems
    assert "forms[0]: code missing or malformed" in problems
    assert "forms[1]: name and name_en are required" in problems
    assert "no [[forms]]" in problems
    assert "degrees: code 'main' twice" in problems
