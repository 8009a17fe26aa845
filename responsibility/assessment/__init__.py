"""The season-end assessment (考核, issue 13 part 3): the proposal computed from the records and
the rule table (``assessment_rules/``), each deduction with its evidence, the veto items, and what
assessors decide (scores with reasons, veto decisions)."""

from .decisions import adjust_part, decide_veto
from .proposal import Proposal, SchoolAssessment, grade_of, propose
from .rules import RuleTable, load_rules

__all__ = [
    "Proposal",
    "RuleTable",
    "SchoolAssessment",
    "adjust_part",
    "decide_veto",
    "grade_of",
    "load_rules",
    "propose",
]
