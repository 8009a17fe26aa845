"""Rendered sample agreements shared by the PDF integration tests (rendered once per module)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_tools import TOOLS

from responsibility.demo import sample_kindergarten, sample_large_school
from responsibility.pdf.fonts import DEFAULT_FONT
from responsibility.pdf.render import render_agreement
from responsibility.pdf.template import load_template


@pytest.fixture(scope="session")
def tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"missing tools {missing}: scripts/install-system-deps.sh test")
    if not DEFAULT_FONT.path.is_file():
        pytest.skip(f"missing font: apt-get install {DEFAULT_FONT.package}")


@pytest.fixture(scope="session")
def template():
    return load_template("winter_spring/2025-v1")


@pytest.fixture(scope="session")
def samples(template, tools, tmp_path_factory) -> dict[str, tuple[object, bytes, Path]]:
    """name -> (content, pdf bytes, file path) for a large school and a private kindergarten."""
    out = {}
    directory = tmp_path_factory.mktemp("agreements")
    for name, build in (("large", sample_large_school), ("kindergarten", sample_kindergarten)):
        content = build(template)
        pdf = render_agreement(template, content)
        path = directory / f"{name}.pdf"
        path.write_bytes(pdf)
        out[name] = (content, pdf, path)
    return out
