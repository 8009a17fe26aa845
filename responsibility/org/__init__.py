"""The organisation: bureau, sections, schools, posts, persons, grids; queries and import/export."""

from .importing import ImportSummary, import_county

__all__ = ["ImportSummary", "import_county"]
