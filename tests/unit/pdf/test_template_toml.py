"""The shared checks of the small PDF templates' TOML files."""

from pathlib import Path

import pytest

from responsibility.pdf.errors import TemplateError
from responsibility.pdf.template_toml import (
    is_text_list,
    missing_texts,
    read_template_toml,
    text_pairs,
    unknown_placeholders,
)


def test_read_names_the_missing_and_the_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="no document.toml"):
        read_template_toml(tmp_path, "document.toml", "v1")
    (tmp_path / "document.toml").write_text("title = ", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid TOML"):
        read_template_toml(tmp_path, "document.toml", "v1")
    (tmp_path / "document.toml").write_text('title = "责任书"', encoding="utf-8")
    assert read_template_toml(tmp_path, "document.toml", "v1") == {"title": "责任书"}


def test_text_lists_pairs_and_missing_texts() -> None:
    assert is_text_list([]) and not is_text_list([], allow_empty=False)
    assert not is_text_list(["a", 1]) and not is_text_list("a")
    assert missing_texts({"title": "", "heading": "x", "n": 3}, ("title", "heading", "n")) == [
        "missing text 'title'",
        "missing text 'n'",
    ]
    problems: list[str] = []
    assert text_pairs([["甲", "乙"]], problems) == [["甲", "乙"]] and problems == []
    assert text_pairs([], problems) == [] and problems == []
    assert text_pairs([], problems, allow_empty=False) == [] and len(problems) == 1
    assert text_pairs([["only one"]], problems) == [] and len(problems) == 2


def test_unknown_placeholders_are_each_named() -> None:
    assert unknown_placeholders(["{school} {nope}", "{county}", 5], {"school", "county"}) == [
        "unknown placeholder {nope}"
    ]
