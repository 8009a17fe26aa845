"""The organisation's labels, kept in ``web/labels/org.py`` so that other blueprints (the signing
board's school-type filter) share them; re-exported here for the organisation pages."""

from __future__ import annotations

from ..labels.org import (
    ACCOUNTABILITY_LABELS,
    FEATURE_LABELS,
    LEADER_LABELS,
    LEFT_REASON_LABELS,
    PARTY_ORG_LABELS,
    ROLE_LABELS,
    SCHOOL_TYPE_LABELS,
    label,
    service_note,
)

__all__ = [
    "ACCOUNTABILITY_LABELS",
    "FEATURE_LABELS",
    "LEADER_LABELS",
    "LEFT_REASON_LABELS",
    "PARTY_ORG_LABELS",
    "ROLE_LABELS",
    "SCHOOL_TYPE_LABELS",
    "label",
    "service_note",
]
