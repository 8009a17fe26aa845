"""The fire-file pages (一楼一案): a school's buildings with their fire-file status, a building's
file with its edit form, history and monthly checks, the evacuation plan download. Thin: every
change is a call of ``responsibility.season``; a refused one shows the service's message with
its 4xx status (409 for a stale version) and changes nothing. The bureau reads them only."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
