"""Helpers for the PDF integration tests (a uniquely named module: several conftest.py exist)."""

from __future__ import annotations

import subprocess

TOOLS = ("pdffonts", "pdfinfo", "pdftotext", "pdftoppm", "pdfdetach", "zbarimg")


def run(*args: str) -> str:
    """Run a poppler/zbar tool and return its stdout (stderr is noise, e.g. zbar's D-Bus)."""
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
