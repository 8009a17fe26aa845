"""Which clauses of a template apply to a school, by its type and features."""

from __future__ import annotations

from collections.abc import Iterable

from responsibility.errors import BadInput
from responsibility.pdf.template import AgreementTemplate, Clause
from responsibility.pdf.vocabulary import FEATURES, SCHOOL_TYPES

__all__ = ["applicable_clauses"]


def applicable_clauses(template: AgreementTemplate, school_type: str, features: Iterable[str]) -> list[Clause]:
    """The template's clauses for a school, in code order.

    A clause applies when it has no ``when`` condition or the school matches it (its type is
    listed or it has one of the listed features), and the school matches no ``unless``
    condition. ``school_type`` is a glossary code; an unknown type or feature raises
    ``BadInput`` naming it, so a typo never silently drops a clause.
    """
    feature_set = frozenset(features)
    problems = []
    if school_type not in SCHOOL_TYPES:
        problems.append(f"unknown school type {school_type!r}")
    problems.extend(f"unknown feature {f!r}" for f in sorted(feature_set - FEATURES))
    if problems:
        raise BadInput("; ".join(problems))
    return [
        clause
        for clause in template.clauses
        if (clause.when is None or clause.when.matches(school_type, feature_set))
        and not (clause.unless is not None and clause.unless.matches(school_type, feature_set))
    ]
