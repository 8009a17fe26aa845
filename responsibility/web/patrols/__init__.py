"""The patrol pages: logging 巡查正常 from the grid's QR page, a grid's patrol history with the
gaps highlighted, and a school's grids with patrols done and gaps. Thin: every step is a call of
``responsibility.patrols``; a refused one shows the service's message with its 4xx status."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
