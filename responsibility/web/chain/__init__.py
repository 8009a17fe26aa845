"""The chain page: who answered for a grid, building, school or person on a day, top to bottom,
with the agreement binding each link. Visible to whoever may see the subject's school (the
school page's rules); anyone else gets the same 404 as for an unknown subject."""

from . import dossier, notifications, routes  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
