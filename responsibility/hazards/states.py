"""The states of a hazard and the steps between them (一患一案一档).

::

    reported ──file──▶ filed ──plan──▶ planned ──progress──▶ rectifying ──done──▶ awaiting_acceptance
                                                               ▲                      │
                                                               └──────reject──────────┤
                                                                                      └──accept──▶ closed
    any open state ──void──▶ void

The state is stored in ``Hazard.status`` as its Chinese label (the import's column, so imported
hazards and the import/export round trip keep working); :func:`state_of` maps a stored status back
to a state name, including the labels the import uses (``整改中``, ``已销号``…) and the English
names themselves. An unknown imported status maps to None: no step is allowed on it until the data
are corrected (the audit shows it), nothing is guessed.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACCEPTED_STEPS",
    "AWAITING_ACCEPTANCE",
    "CLOSED",
    "FILED",
    "LABELS",
    "OPEN_STATES",
    "PLANNED",
    "RECTIFYING",
    "REPORTED",
    "STATES",
    "STEPS",
    "VOID",
    "label_of",
    "state_of",
]

REPORTED: Final = "reported"
FILED: Final = "filed"
PLANNED: Final = "planned"
RECTIFYING: Final = "rectifying"
AWAITING_ACCEPTANCE: Final = "awaiting_acceptance"
CLOSED: Final = "closed"
VOID: Final = "void"

STATES: tuple[str, ...] = (REPORTED, FILED, PLANNED, RECTIFYING, AWAITING_ACCEPTANCE, CLOSED, VOID)
OPEN_STATES: frozenset[str] = frozenset({REPORTED, FILED, PLANNED, RECTIFYING, AWAITING_ACCEPTANCE})

LABELS: dict[str, str] = {
    REPORTED: "已上报",
    FILED: "已建档",
    PLANNED: "已制定方案",
    RECTIFYING: "整改中",
    AWAITING_ACCEPTANCE: "待验收",
    CLOSED: "已销号",
    VOID: "已作废",
}

# Further labels found in imported ledgers, each to the state it means.
_IMPORTED_LABELS: dict[str, str] = {
    "待整改": PLANNED,
    "已整改": AWAITING_ACCEPTANCE,
    "整改完成": AWAITING_ACCEPTANCE,
    "待复查": AWAITING_ACCEPTANCE,
    "作废": VOID,
}
_BY_LABEL = {label: state for state, label in LABELS.items()} | _IMPORTED_LABELS | {s: s for s in STATES}

# step → (states it may start from, state it leads to); ``progress`` keeps ``rectifying``.
STEPS: dict[str, tuple[frozenset[str], str]] = {
    "file": (frozenset({REPORTED}), FILED),
    "plan": (frozenset({FILED}), PLANNED),
    "progress": (frozenset({PLANNED, RECTIFYING}), RECTIFYING),
    "done": (frozenset({PLANNED, RECTIFYING}), AWAITING_ACCEPTANCE),
    "school_accept": (frozenset({AWAITING_ACCEPTANCE}), AWAITING_ACCEPTANCE),
    "accept": (frozenset({AWAITING_ACCEPTANCE}), CLOSED),
    "reject": (frozenset({AWAITING_ACCEPTANCE}), RECTIFYING),
    "supervise": (frozenset({REPORTED, FILED, PLANNED, RECTIFYING, AWAITING_ACCEPTANCE}), ""),
    "void": (OPEN_STATES, VOID),
}
"""``supervise`` changes no state (the empty target keeps the current one); ``school_accept`` is the
school's acceptance of a hazard listed for supervision, which then waits for the bureau's
countersign (``accept`` by the supervisor) to close."""

ACCEPTED_STEPS = frozenset(STEPS)


def state_of(status: str | None) -> str | None:
    """The state a stored status means, or None when the label is unknown."""
    return _BY_LABEL.get((status or "").strip())


def label_of(state: str) -> str:
    return LABELS[state]
