"""The cascade page: a school's post agreements (岗位安全责任书) and the button a school leader
presses to issue them all once the school agreement is countersigned. Visible to whoever may
see the school; issuing is for the principal, party head or safety deputy (403 otherwise)."""

from . import routes  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
