"""The evacuation plan PDF check: a real PDF passes with its hash; not a PDF, damaged,
encrypted, scripted, empty or too big is refused with its own message."""

from __future__ import annotations

import hashlib

import pytest
from fire_pdfs import plan_pdf, scripted_pdf

from responsibility.season.evacuation_plans import BadPlan, PlanStore, check_plan_pdf


def test_a_plain_pdf_passes_with_its_hash_and_a_clean_name() -> None:
    data = plan_pdf()
    plan = check_plan_pdf(data, name="../../etc/疏散 预案.pdf", max_bytes=10**6)
    assert plan.sha256 == hashlib.sha256(data).hexdigest() and plan.pages == 1 and plan.name == "疏散 预案.pdf"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * 100, "not a PDF"),
        (b"%PDF-1.7\nnot really a pdf at all", "damaged"),
        (plan_pdf(encrypt="secret"), "encrypted"),
        (scripted_pdf(), "JavaScript"),
    ],
)
def test_bad_plans_are_refused(data: bytes, says: str) -> None:
    with pytest.raises(BadPlan) as err:
        check_plan_pdf(data, name="a.pdf", max_bytes=10**6)
    assert says in str(err.value)


def test_a_plan_above_the_limit_is_refused_before_it_is_read() -> None:
    data = plan_pdf()
    with pytest.raises(BadPlan, match=str(len(data) - 1)):
        check_plan_pdf(data, name="a.pdf", max_bytes=len(data) - 1)
    assert check_plan_pdf(data, name="a.pdf", max_bytes=len(data)).pages == 1


def test_the_store_keeps_bytes_by_hash_and_refuses_a_damaged_copy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = check_plan_pdf(plan_pdf(), name="a.pdf", max_bytes=10**6)
    store = PlanStore(tmp_path)
    store.put(plan)
    assert store.read(plan.sha256) == plan.data
    store.path(plan.sha256).write_bytes(b"%PDF-tampered")
    with pytest.raises(Exception, match="damaged"):
        store.read(plan.sha256)
    with pytest.raises(ValueError):
        store.path("../x")


def test_the_size_limit_is_a_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from responsibility.settings import Settings

    assert Settings.from_config({}, tmp_path).season.fire_plan_max_bytes == 10 * 1024 * 1024
    assert Settings.from_config({"FIRE_PLAN_MAX_BYTES": "2048"}, tmp_path).season.fire_plan_max_bytes == 2048
