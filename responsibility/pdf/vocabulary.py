"""The code names the template speaks: school types, school features and the placeholders.

School types and features come from ``responsibility.glossary``, shared with ``org``.
"""

from __future__ import annotations

from responsibility.glossary import FEATURES, SCHOOL_TYPES

__all__ = [
    "FEATURES",
    "PARAMETER_PLACEHOLDERS",
    "PARTY_PLACEHOLDERS",
    "SCHOOL_PLACEHOLDERS",
    "SCHOOL_TYPES",
    "TARGET_PREFIX",
]

PARAMETER_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "county",
        "bureau",
        "season",
        "term_start",
        "term_end",
        "signing_date",
        "due_date",
        "copies",
        "document_number",
        "verification_url",
    }
)
"""Filled from ``AgreementParameters`` (the same for every school of a campaign)."""

SCHOOL_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "school_name",
        "school_type_name",
        "principal_title",
        "principal_name",
        "party_head_title",
        "party_head_name",
        "safety_deputy_name",
        "students",
        "classes",
        "staff",
        "boarders",
        "buses",
        "building_count",
        "building_names",
        "campus_count",
        "campus_names",
    }
)
"""Filled from ``SchoolFacts`` (the school's own facts)."""

PARTY_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "party_a_name",
        "party_a_title",
        "party_b_name",
        "party_b_title",
        "party_b_unit",
        "responsibility_scope",
    }
)
"""Filled from ``AgreementContent.parties``: the two persons of an internal agreement between
persons (the bureau's own agreements). A template using them renders only content that has
parties; a school agreement has none and refuses them (no value for the placeholder)."""

TARGET_PREFIX = "target."
"""``{target.KEY}`` is filled from ``AgreementParameters.targets[KEY]``; KEY must be declared in
the template's ``[targets]`` table."""
