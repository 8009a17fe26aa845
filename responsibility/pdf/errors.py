"""Errors of the PDF package. Both are ``BadInput``: the caller gave a template or content that
cannot produce an agreement, and nothing was produced."""

from __future__ import annotations

from responsibility.errors import BadInput

__all__ = ["ContentError", "FontMissing", "PreviewUnavailable", "TemplateError"]


class TemplateError(BadInput):
    """The template files are unreadable or inconsistent; the message lists every problem."""

    def __init__(self, version: str, problems: list[str]) -> None:
        self.version = version
        self.problems = list(problems)
        super().__init__(f"agreement template {version!r} is invalid: " + "; ".join(self.problems))


class ContentError(BadInput):
    """The agreement content misses something an agreement must show (a signer, the grids…)."""

    def __init__(self, subject: str, problems: list[str]) -> None:
        self.subject = subject
        self.problems = list(problems)
        super().__init__(f"{subject}: " + "; ".join(self.problems))


class FontMissing(BadInput):
    """The CJK TrueType font is not installed; the message names the Debian package."""


class PreviewUnavailable(BadInput):
    """A page image could not be made (no such page, poppler's ``pdftoppm`` missing or failing):
    the caller shows the link to the PDF itself instead."""
