"""The one canonical JSON (RFC 8785 via ``rfc8785``) gives the bytes the project always hashed.

Audit event hashes, checkpoint payloads and PDF content hashes are stored and compared years on:
the pinned hashes below were computed with the ``json.dumps`` code this module replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responsibility.audit.log import GENESIS_HASH, event_hash
from responsibility.audit.log import canonical_json as event_canonical
from responsibility.canonical import canonical_json, canonical_text, to_json_value

AT = dt.datetime(2025, 11, 15, 8, 30, 5, 123456, tzinfo=dt.UTC)


def old_canonical(value: Any) -> bytes:
    """What every caller wrote before (the PDF content's ``default``, a superset of the others)."""

    def default(obj: Any) -> Any:
        if isinstance(obj, dt.date):
            return obj.isoformat()
        if isinstance(obj, MappingProxyType):
            return dict(obj)
        if isinstance(obj, Decimal):
            return str(obj)
        raise TypeError(type(obj).__name__)

    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default).encode()


# Keys within the BMP: beyond it JCS (UTF-16 order) and sort_keys (code points) may disagree.
KEYS = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=8)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | TEXT
    | st.dates()
    | st.datetimes(
        timezones=st.sampled_from([None, dt.UTC, ZoneInfo("Asia/Shanghai"), dt.timezone(dt.timedelta(hours=-5))])
    )
    | st.decimals(allow_nan=False, allow_infinity=False)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4).map(MappingProxyType)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a shared, loaded CI box
@given(VALUES)
def test_jcs_gives_the_old_bytes_on_everything_the_callers_hash(value: Any) -> None:
    assert canonical_json(value) == old_canonical(value)
    assert canonical_text(value) == old_canonical(value).decode("utf-8")


ANY_KEYS = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
ANY_VALUES = st.recursive(
    SCALARS | st.floats(allow_nan=False, allow_infinity=False) | st.integers(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_VALUES)
def test_the_fast_path_gives_exactly_what_rfc8785_gives(value: Any) -> None:
    """canonical_json uses the standard encoder where it is known to agree with JCS; on any value
    (floats, huge integers, astral keys included) the result is rfc8785's, or its refusal."""
    try:
        expected = rfc8785.dumps(to_json_value(value))
    except rfc8785.CanonicalizationError:
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


def test_pinned_audit_event_hash() -> None:
    data = {
        "document_number": "LCJT-2025DC-SCH001",
        "名称": "岚川县第一小学（东校区）",
        "n": 3,
        "ok": True,
        "none": None,
        "list": [1, "二", False, {"b": 2, "a": 1}],
        "esc": 'a"b\\c\n\t\x01\u2028/é😀',
        "Z": -9007199254740991,
    }
    body = event_canonical(7, AT, "admin", "agreement.signed", "agreement:LCJT-2025DC-SCH001", data)
    assert body.startswith('{"action":"agreement.signed","actor":"admin","at":"2025-11-15T08:30:05.123456Z"')
    assert event_hash(GENESIS_HASH, body) == "fcaeb496dab4c2294bb1e1395c6438d3f89e03f3aea3af4dfb1b13e452ea9d61"


def test_pinned_checkpoint_payload_and_content_hash() -> None:
    checkpoint = {
        "kind": "responsibility.audit.checkpoint/1",
        "seq": 3,
        "head_hash": "ab" * 32,
        "event_count": 42,
        "created_at": "2025-11-15T08:30:05.123456Z",
    }
    digest = hashlib.sha256(canonical_text(checkpoint).encode()).hexdigest()
    assert digest == "28f1b21248264ee5cbb9dea0aeff433c53f1bd901c5f8d186c7e7abfa53f90bd"
    content = {  # the shape dataclasses.asdict leaves of AgreementContent
        "parameters": {
            "season": "2025—2026年冬春季",
            "term_start": dt.date(2025, 9, 1),
            "created_at": dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC),
            "targets": MappingProxyType({"target.fire": "100%", "target.drill": "2"}),
        },
        "features": ("boarding", "school_bus"),
        "students": 900,
        "owner": None,
    }
    digest = hashlib.sha256(canonical_json(content)).hexdigest()
    assert digest == "4c53caa72726ba0d169529ce605453274bc3d205b1f7259123edc485967da992"


def test_to_json_value_gives_non_json_values_their_one_text_form() -> None:
    moment = dt.datetime(2025, 11, 15, 8, 30, tzinfo=dt.UTC)
    value = {"d": dt.date(2025, 1, 2), "t": moment, "m": Decimal("1.50"), "x": (1, [2])}
    assert to_json_value(value) == {"d": "2025-01-02", "t": "2025-11-15T08:30:00+00:00", "m": "1.50", "x": [1, [2]]}


@pytest.mark.parametrize("value", [{1: "a"}, {"s": {1, 2}}, {"b": b"x"}, object()])
def test_values_without_a_deliberate_text_form_are_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        canonical_json(value)


def test_where_jcs_differs_from_the_old_bytes() -> None:
    """Outside the callers' domain; documented in ``responsibility.canonical``."""
    # floats: ECMAScript number form
    assert canonical_json([1.0, 1e16, 0.5]) == b"[1,10000000000000000,0.5]"
    assert old_canonical([1.0, 1e16, 0.5]) == b"[1.0,1e+16,0.5]"
    # keys: UTF-16 code units, not code points
    keys = {"\U00010000": 1, "\uff08": 2}
    assert canonical_json(keys) == '{"\U00010000":1,"\uff08":2}'.encode()
    assert old_canonical(keys) == '{"\uff08":2,"\U00010000":1}'.encode()
    # refused outright: integers past 2**53 - 1, lone surrogates, NaN
    for bad in (2**53, "\ud800", float("nan")):
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(bad)
