"""Languages: Simplified Chinese by default, English on request, and complete catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = PROJECT_ROOT / "responsibility" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue(code: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=code)


def _extracted_msgids() -> set[str]:
    """What ``pybabel extract -F babel.cfg … responsibility`` finds in the sources now."""
    from babel.messages.frontend import parse_mapping_cfg

    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT / "responsibility"), method_map, options_map
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("code", ["zh_CN", "en"])
def test_catalogue_has_no_fuzzy_or_empty_entries(code: str) -> None:
    catalogue = _catalogue(code)
    problems = [m.id for m in catalogue if m.id and (m.fuzzy or not m.string or not any(m.string))]
    assert problems == []


def test_every_message_in_the_sources_has_a_chinese_translation() -> None:
    catalogue = _catalogue("zh_CN")
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id and m.string}
    missing = sorted(_extracted_msgids() - translated)
    assert missing == [], "run pybabel extract/update and translate: " + "; ".join(missing[:10])


def test_chinese_translations_keep_the_placeholders() -> None:
    for message in _catalogue("zh_CN"):
        if message.id and isinstance(message.id, str):
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


def test_chinese_is_the_default_and_english_is_remembered(client) -> None:  # type: ignore[no-untyped-def]
    chinese = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in chinese and "登录" in chinese
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english and "Log in" in english and "登录" not in english
    assert "Log in" in client.get("/login").get_data(as_text=True)  # remembered in the session
    assert "登录" in client.get("/login?lang=zh_CN").get_data(as_text=True)


def test_unknown_language_falls_back_to_chinese(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/login?lang=fr").get_data(as_text=True)
    assert 'lang="zh-CN"' in body and "登录" in body


def test_language_switch_links_keep_the_page(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/login?next=/org/towns").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" lang="en">English</a>', body)
    assert link is not None
    assert link.group(1).startswith("/login?") and "lang=en" in link.group(1) and "next=" in link.group(1)


def test_error_pages_are_translated(client) -> None:  # type: ignore[no-untyped-def]
    assert "页面不存在" in client.get("/no/such/page").get_data(as_text=True)
    assert "Page not found" in client.get("/no/such/page?lang=en").get_data(as_text=True)
