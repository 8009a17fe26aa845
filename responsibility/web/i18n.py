"""Language selection (Simplified Chinese first, English switchable) and translation catalogues."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, request, session

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    """``?lang=`` switches and is remembered in the session; otherwise the configured default."""
    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted is not None and wanted in languages:
        session["lang"] = wanted
        return wanted
    remembered = session.get("lang")
    if isinstance(remembered, str) and remembered in languages:
        return remembered
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_translations(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile every ``messages.po`` whose ``.mo`` is missing or older; returns what was written.

    Compiled catalogues are build products (git-ignored), so set-up and tests call this.
    Flask-Babel looks a catalogue up by the CLDR name of the locale (``zh_CN`` parses to
    ``zh_Hans_CN``), so a catalogue kept under ``zh_CN/`` is also compiled to that name.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        code = po_path.parent.parent.name
        targets = [po_path.with_suffix(".mo")]
        if cldr_name(code) != code:
            targets.append(directory / cldr_name(code) / "LC_MESSAGES" / "messages.mo")
        if all(t.exists() and t.stat().st_mtime >= po_path.stat().st_mtime for t in targets):
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=code)
        for mo_path in targets:
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = mo_path.with_suffix(".mo.tmp")
            with tmp.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            tmp.replace(mo_path)
            written.append(mo_path)
    return written


def cldr_name(code: str) -> str:
    """The name Babel gives ``code`` after adding likely subtags (``zh_CN`` → ``zh_Hans_CN``)."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code))
    except (ValueError, UnknownLocaleError):
        return code
