"""Inspection rounds (大排查): the bureau opens a round, each school gets its checklist from the
versioned catalogue (``checklists/``) by its features, the inspector answers each item per school,
building or grid (a fail opens a hazard), and submits.

The service API (every function takes a session and never commits):

- :func:`load_catalogue`, :func:`applicable_items` (``catalogue``: pure, no database);
- :func:`open_round`, :func:`find_round`, :func:`find_checklist`, :func:`checklist_items` (``rounds``);
- :func:`answer_item`, :func:`assign_inspector`, :func:`submit_checklist` (``answers``);
- :func:`round_completion` (``completion``: the bureau's view per school, town and area).
"""

from .answers import RESULTS, answer_item, assign_inspector, submit_checklist, unanswered_items
from .catalogue import Catalogue, ChecklistItem, applicable_items, load_catalogue
from .completion import RoundCompletion, SchoolCompletion, round_completion
from .errors import CatalogueError, ChecklistConflict, ItemNotApplicable, NotPermitted, RoundNotFound, Unanswered
from .rounds import checklist_items, find_checklist, find_round, open_round

__all__ = [
    "RESULTS",
    "Catalogue",
    "CatalogueError",
    "ChecklistConflict",
    "ChecklistItem",
    "ItemNotApplicable",
    "NotPermitted",
    "RoundCompletion",
    "RoundNotFound",
    "SchoolCompletion",
    "Unanswered",
    "answer_item",
    "applicable_items",
    "assign_inspector",
    "checklist_items",
    "find_checklist",
    "find_round",
    "load_catalogue",
    "open_round",
    "round_completion",
    "submit_checklist",
    "unanswered_items",
]
