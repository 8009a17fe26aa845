"""The incident dossier: the chain of a place at a moment, each link with its signed agreement,
its holder's work records of the days before, and a mark (履职 / 未履职 / 无记录) by the rules of
``docs/dossier_rules.md``; packaged as a ZIP that verifies offline."""

from .build import Dossier, DossierLink, build_dossier
from .marks import MARK_DONE, MARK_NO_RECORD, MARK_NOT_DONE, MARKS, REASONS, mark_link

__all__ = [
    "MARKS",
    "MARK_DONE",
    "MARK_NOT_DONE",
    "MARK_NO_RECORD",
    "REASONS",
    "Dossier",
    "DossierLink",
    "build_dossier",
    "mark_link",
]
