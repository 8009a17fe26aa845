"""Duty rosters in the browser (值班值守): an organisation's plan of the live term with its
uncovered days, one day edited or a whole .xlsx uploaded (the import's validation, nothing
written on a refusal, 409 when two editors race), the template to fill in, the phone's
"今日值班" with its 到岗 button, the principal's 报局 (the signed 值班表), and the bureau's 到岗率
and reported rosters per school and town. Thin: the rules are
``responsibility.season``; who may plan or read is ``season.roster_roles``."""

from . import duty, report, routes  # noqa: F401  (importing them registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
