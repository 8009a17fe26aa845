"""Importing a county: read a file (JSON or .xlsx), validate it into one plan, write the
differences. The public seams are the names below; everything else is internal."""

from .importer import EntityCounts, ImportSummary, import_county
from .reading import read_import_file

__all__ = ["EntityCounts", "ImportSummary", "import_county", "read_import_file"]
