"""The season board (季度工作看板, issues 12–13): ``/season`` (``?at=``), the live campaign's
figures per town and for the county, as a table and as bar charts, for bureau viewers (the whole
county, or a liaison section's schools). Thin: every figure is a call of
``responsibility.board``; each links to the page behind it."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
