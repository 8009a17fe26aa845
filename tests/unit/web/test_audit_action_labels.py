"""Every audit action the code writes has a label on the audit page (codes get labels).

The scan reads the package's source for ``action="..."`` literals and expands the two templated
actions (``hazard.<step>`` from the hazard steps, ``batch.<state>`` from the states a batch
finishes in), so a new event without a label fails here rather than showing its code to a reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from responsibility.hazards.states import STEPS
from responsibility.models.agreements import JOB_FAILED, JOB_FINISHED
from responsibility.web.labels.audit import ACTION_LABELS

PACKAGE = Path(__file__).resolve().parents[3] / "responsibility"
_LITERAL = re.compile(r'action\s*=\s*"([a-z_]+\.[a-z_.]+)"')
_TEMPLATED = re.compile(r'action\s*=\s*f"([a-z_]+)\.\{')


def _written_actions() -> tuple[set[str], set[str]]:
    literal, templated = set(), set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        literal.update(_LITERAL.findall(text))
        templated.update(_TEMPLATED.findall(text))
    return literal, templated


def test_every_written_action_has_a_label() -> None:
    literal, templated = _written_actions()
    assert len(literal) > 40, "the scan found too few actions: is the pattern still right?"
    assert templated == {"hazard", "batch"}, f"a new templated action needs its expansion here: {templated}"
    expanded = {f"hazard.{step}" for step in STEPS} | {f"batch.{s}" for s in (JOB_FINISHED, JOB_FAILED)}
    missing = sorted((literal | expanded) - ACTION_LABELS.keys())
    assert not missing, f"audit actions without a label: {missing}"


def test_the_labels_are_translated_into_chinese() -> None:
    from flask_babel import Babel, force_locale

    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PACKAGE / "translations")
    Babel(app)
    with app.app_context(), force_locale("zh_CN"):
        untranslated = sorted(code for code, label in ACTION_LABELS.items() if str(label).isascii())
    assert not untranslated, f"labels shown in English on the Chinese page: {untranslated}"
