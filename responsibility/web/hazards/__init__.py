"""The hazard pages: the report form opened from a grid's QR poster, a hazard's page with the step
its viewer may take (plan, progress, accept/reject, supervise, void), the dossier download and
the ledger. Thin: every step is a call of ``responsibility.hazards``; a refused step shows the
service's message with its 4xx status (409 for a stale version) and changes nothing."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
