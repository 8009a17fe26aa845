"""Importing a county: read a file (JSON or .xlsx), validate it into one plan, write the
differences. The public seams are the names below; everything else is internal."""

from .importer import EntityCounts, ImportSummary, import_county
from .reading import read_import_file
from .statistics import refresh_statistics

__all__ = ["EntityCounts", "ImportSummary", "import_county", "read_import_file", "refresh_statistics"]
