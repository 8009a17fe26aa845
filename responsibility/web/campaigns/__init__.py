"""Campaign pages: the bureau admin creates campaigns, generates agreements in the background
with a progress display, previews and issues them; a school's leaders open and download their
own school's agreements."""

from . import routes, staleness  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
