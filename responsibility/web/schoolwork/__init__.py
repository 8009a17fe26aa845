"""A school's season records in the browser (issue 12 part 5): key-student home visits per class
and category, safety education sessions, and the bureau's county table of visit rates and
anti-fraud coverage. Thin: the services are ``responsibility.season`` (visits, education), the
values the targets' measures; visibility is the viewer's, writing is for the school's own people."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
