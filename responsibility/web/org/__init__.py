"""The organisation pages: the home page per role and the county → town → school browser."""

from . import routes, viewer  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
