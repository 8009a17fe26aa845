"""Every `flask hazard` command: importing this module registers them all on the one group
(``hazard`` the steps, ``hazard_docs`` the documents, ``hazard_reports`` ledger and escalation)."""

from . import hazard, hazard_docs, hazard_reports
from .hazard_common import group

__all__ = ["group", "hazard", "hazard_docs", "hazard_reports"]
