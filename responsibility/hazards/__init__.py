"""The hazard loop 一患一案一档: report → file → plan → rectify → accept → close, bound to the grid
and the accountability chain.

The service API (what the CLI and the web call; every function takes a session and never commits):

- :func:`report_hazard`, :func:`plan_hazard`, :func:`record_progress`, :func:`accept_hazard`,
  :func:`reject_hazard`, :func:`void_hazard` (``service``); :func:`supervise_hazard`
  (``supervision``: 挂牌督办 with the sealed notice);
- :func:`find_hazard`, :func:`hazard_view`, :func:`open_duplicates` (``queries``);
- the states and their labels (``states``), who may act (``roles``), file numbers
  (``numbering``), photo sanitising and storage (``photos``).
"""

from ..models import Hazard
from . import queries
from .errors import BadPhoto, HazardConflict, HazardNotFound, NotPermitted, WrongState
from .numbering import FILE_NO_PATTERN, allocate_file_no, format_file_no
from .photos import PhotoStore, photo_store, sanitise_photo
from .queries import find_hazard, hazard_view, open_duplicates
from .service import (
    LEVELS,
    MAJOR,
    REPORTED_SOURCE,
    ROUND_SOURCE,
    accept_hazard,
    plan_hazard,
    record_progress,
    reject_hazard,
    report_hazard,
    void_hazard,
)
from .states import STATES, state_of

__all__ = [
    "FILE_NO_PATTERN",
    "LEVELS",
    "MAJOR",
    "REPORTED_SOURCE",
    "ROUND_SOURCE",
    "STATES",
    "BadPhoto",
    "Hazard",
    "HazardConflict",
    "HazardNotFound",
    "NotPermitted",
    "PhotoStore",
    "WrongState",
    "accept_hazard",
    "allocate_file_no",
    "find_hazard",
    "format_file_no",
    "hazard_view",
    "open_duplicates",
    "photo_store",
    "queries",
    "plan_hazard",
    "record_progress",
    "reject_hazard",
    "report_hazard",
    "sanitise_photo",
    "state_of",
    "void_hazard",
]
