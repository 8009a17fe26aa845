"""The inspection-round pages on the demo county: the bureau opens a round and reads its
completion; SCH001's safety deputy answers pass / na / fail (a fail opens a hazard, linked),
assigns an inspector and submits; refusals (unknown or inapplicable item, stale version, other
school's people, unanswered items) change nothing and answer in the reader's language."""

from __future__ import annotations

import datetime as dt
import io
import re

from PIL import Image
from sqlalchemy import func, select

from responsibility import clock
from responsibility.extensions import db
from responsibility.models import Hazard, InspectionAnswer, InspectionChecklist, Organization, PostAssignment

SCHOOL, DEPUTY, PRINCIPAL, STAFF, BUREAU = "SCH001", "P00029", "P00027", "P00087", "P00002"


def _day(offset: int) -> str:
    return (clock.today(clock.DEFAULT_ZONE) + dt.timedelta(days=offset)).isoformat()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 120, 0)).save(out, format="JPEG")
    return out.getvalue()


def _open(client, **extra):  # type: ignore[no-untyped-def]
    data = {"name": "冬季安全大排查", "start": _day(-3), "end": _day(20), "area": ["R05", "R12"], "scope": "all"}
    return client.post("/rounds", data={**data, **extra})


def _version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]


def _counts(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        answers = db.session.scalar(select(func.count(InspectionAnswer.id))) or 0
        hazards = db.session.scalar(select(func.count(Hazard.id)).where(Hazard.reported_by_person_id.is_not(None))) or 0
        db.session.remove()
    return answers, hazards


def _round_id(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def test_the_bureau_opens_a_round_and_the_deputy_answers_and_submits(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    bureau, deputy = round_login(BUREAU), round_login(DEPUTY)
    form = bureau.get("/rounds").get_data(as_text=True)
    assert 'id="open-round"' in form and 'value="R03"' in form and "消防安全" in form
    round_id = _round_id(_open(bureau))
    url = f"/rounds/{round_id}/{SCHOOL}"
    page = deputy.get(url).get_data(as_text=True)
    assert "R05-06" in page and "R05-07" in page and "逐校" in page and "R03-01" not in page
    assert 'data-status="open">未提交<' in page
    assert deputy.get("/rounds").get_data(as_text=True).count(url) == 1

    sent = deputy.post(f"{url}/answer", data={"item": "R05-06", "result": "pass", "version": _version(page),
                                              "photo": (io.BytesIO(_jpeg()), "gate.jpg")},
                       content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302, sent.get_data(as_text=True)[:800]
    page = deputy.get(url).get_data(as_text=True)
    refused = deputy.post(f"{url}/submit", data={"version": _version(page)})
    assert refused.status_code == 400 and "R05-07" in refused.get_data(as_text=True)
    failed = deputy.post(
        f"{url}/answer",
        data={"item": "R05-07", "result": "fail", "note": "校门口无减速带", "version": _version(page)},
        follow_redirects=True,
    )
    text = failed.get_data(as_text=True)
    file_no = re.search(r'class="hazard-link" href="/hazards/([^"]+)"', text).group(1)  # type: ignore[union-attr]
    assert failed.status_code == 200 and f"已登记隐患 {file_no}" in text
    assert deputy.get(f"/hazards/{file_no}").status_code == 200
    submitted = deputy.post(f"{url}/submit", data={"version": _version(text)}, follow_redirects=True)
    assert submitted.status_code == 200 and 'data-status="submitted"' in submitted.get_data(as_text=True)

    status = bureau.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert f'data-school="{SCHOOL}"' in status and 'data-area="R05"' in status and "50.0%" in status
    assert "<meter" in status
    assert status.count("<tr data-school=") == 50 and f"/rounds/{round_id}?page=2" in status
    second = bureau.get(f"/rounds/{round_id}?page=2").get_data(as_text=True)
    assert 0 < second.count("<tr data-school=") < 50 and f'data-school="{SCHOOL}"' not in second
    filtered = bureau.get(f"/rounds/{round_id}?town=T02").get_data(as_text=True)
    assert f'data-school="{SCHOOL}"' not in filtered and 'data-school="SCH011"' in filtered


def test_bad_answers_are_refused_and_nothing_is_written(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    bureau, deputy = round_login(BUREAU), round_login(DEPUTY)
    round_id = _round_id(_open(bureau))
    url = f"/rounds/{round_id}/{SCHOOL}"
    version = _version(deputy.get(url).get_data(as_text=True))
    before = _counts(demo_app)
    unknown = deputy.post(f"{url}/answer", data={"item": "R99-01", "result": "pass", "version": version})
    assert unknown.status_code == 400 and "没有检查项" in unknown.get_data(as_text=True)
    other_area = deputy.post(f"{url}/answer", data={"item": "R03-01", "result": "pass", "version": version})
    assert other_area.status_code == 400 and "本次排查不含风险领域 R03" in other_area.get_data(as_text=True)
    no_note = deputy.post(f"{url}/answer", data={"item": "R05-07", "result": "na", "version": version})
    assert no_note.status_code == 400
    stale = deputy.post(f"{url}/answer", data={"item": "R05-06", "result": "pass", "version": str(int(version) + 5)})
    assert stale.status_code == 409 and "已被他人修改" in stale.get_data(as_text=True)
    assert _counts(demo_app) == before
    en = deputy.post(f"{url}/answer?lang=en", data={"item": "R05-06", "result": "pass", "version": "99"})
    assert en.status_code == 409 and "changed by someone else" in en.get_data(as_text=True)
    assert "已被他人修改" not in en.get_data(as_text=True)


def _other_school_principal(app) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        pid = db.session.scalar(
            select(PostAssignment.person_id)
            .join(Organization, Organization.id == PostAssignment.org_id)
            .where(Organization.source_id == "SCH002", PostAssignment.post_code == "S01")
        )
        from responsibility.models import Person

        source = db.session.get(Person, pid).source_id  # type: ignore[union-attr]
        db.session.remove()
    return source


def test_other_schools_people_and_the_heads(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = _round_id(_open(round_login(BUREAU)))
    url = f"/rounds/{round_id}/{SCHOOL}"
    outsider = round_login(_other_school_principal(demo_app))
    assert outsider.get(url).status_code == 404
    assert outsider.post(f"{url}/answer", data={"item": "R05-06", "result": "pass"}).status_code == 404
    assert outsider.get(f"/rounds/{round_id}").status_code == 404  # not bureau staff
    assert outsider.post("/rounds", data={"name": "x"}).status_code == 404
    principal = round_login(PRINCIPAL)
    page = principal.get(url).get_data(as_text=True)
    assert "R05-06" in page and "answer-form" not in page  # the head sees, the deputy answers
    refused = principal.post(f"{url}/answer", data={"item": "R05-06", "result": "pass", "version": "1"})
    assert refused.status_code == 403
    assert round_login(STAFF).get(url).status_code == 404
    assert round_login(BUREAU).get(f"/rounds/{round_id}/NOPE").status_code == 404
    assert round_login(BUREAU).get("/rounds/9999").status_code == 404


def test_the_deputy_assigns_an_inspector_who_then_answers(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = _round_id(_open(round_login(BUREAU)))
    url = f"/rounds/{round_id}/{SCHOOL}"
    deputy = round_login(DEPUTY)
    page = deputy.get(url).get_data(as_text=True)
    assert 'id="assign-form"' in page
    assert deputy.post(f"{url}/assign", data={"person": STAFF, "version": _version(page)}).status_code == 302
    inspector = round_login(STAFF)
    page = inspector.get(url).get_data(as_text=True)
    assert "answer-form" in page and 'id="assign-form"' not in page
    na = inspector.post(
        f"{url}/answer", data={"item": "R05-06", "result": "na", "note": "无校门", "version": _version(page)}
    )
    assert na.status_code == 302
    with demo_app.app_context():
        checklist = db.session.scalars(
            select(InspectionChecklist).where(InspectionChecklist.round_id == int(round_id))
        ).first()
        assert checklist is not None
        answer = db.session.scalar(select(InspectionAnswer).where(InspectionAnswer.item_id == "R05-06"))
        assert answer is not None and answer.result == "na" and answer.by_person.source_id == STAFF
        db.session.remove()


def test_opening_refuses_bad_input_in_both_languages(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    bureau = round_login(BUREAU)
    bad = _open(bureau, end=_day(-10))
    assert bad.status_code == 400 and "早于开始日期" in bad.get_data(as_text=True)
    en = bureau.post("/rounds?lang=en", data={"name": "x", "start": "soon", "end": _day(1), "scope": "all"})
    assert en.status_code == 400 and "Give the start and the end as dates" in en.get_data(as_text=True)
    bureau.get("/rounds?lang=zh_CN")
    no_town = _open(bureau, scope="town", town="")
    assert no_town.status_code == 400 and "请选择本次排查的乡镇" in no_town.get_data(as_text=True)
    town = _round_id(_open(bureau, scope="town", town="T02"))
    status = bureau.get(f"/rounds/{town}?lang=en").get_data(as_text=True)
    assert 'data-school="SCH011"' in status and f'data-school="{SCHOOL}"' not in status and "Fail rate" in status
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(InspectionChecklist.id))) == int(
            db.session.scalar(
                select(func.count(InspectionChecklist.id)).where(InspectionChecklist.round_id == int(town))
            )
            or 0
        )
        db.session.remove()


def test_a_bureau_spot_check_fail_opens_the_hazard_with_the_bureau_reporter(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    bureau = round_login(BUREAU)
    round_id = _round_id(_open(bureau))
    url = f"/rounds/{round_id}/{SCHOOL}"
    page = bureau.get(url).get_data(as_text=True)
    assert "answer-form" in page and 'id="assign-form"' not in page  # B02 inspects, only the deputy assigns
    sent = bureau.post(
        f"{url}/answer", data={"item": "R05-06", "result": "fail", "note": "抽查发现黑校车", "version": _version(page)}
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:800]
    with demo_app.app_context():
        answer = db.session.scalar(select(InspectionAnswer).where(InspectionAnswer.item_id == "R05-06"))
        assert answer is not None and answer.hazard is not None
        assert answer.hazard.reported_by_person_id == answer.by_person_id
        assert answer.by_person.source_id == BUREAU
        db.session.remove()


def test_features_exclusions_bad_photos_and_the_english_page(round_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = _round_id(_open(round_login(BUREAU)))
    url = f"/rounds/{round_id}/{SCHOOL}"
    deputy = round_login(DEPUTY)
    page = deputy.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Whole school" in page and "Per grid" in page and "Not submitted" in page and "逐校" not in page
    version, before = _version(page), _counts(demo_app)
    bus = deputy.post(f"{url}/answer", data={"item": "R05-01", "result": "pass", "version": version})
    assert bus.status_code == 400 and "does not apply" in bus.get_data(as_text=True)
    deputy.get(f"{url}?lang=zh_CN")
    bus = deputy.post(f"{url}/answer", data={"item": "R05-01", "result": "pass", "version": version})
    assert bus.status_code == 400 and "school_bus" in bus.get_data(as_text=True)
    photo = deputy.post(
        f"{url}/answer",
        data={"item": "R05-06", "result": "pass", "version": version, "photo": (io.BytesIO(b"not a jpeg"), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert photo.status_code == 400 and "x.jpg" in photo.get_data(as_text=True)
    grid_elsewhere = deputy.post(
        f"{url}/answer", data={"item": "R05-07", "result": "pass", "version": version, "target": "grid:G00111"}
    )
    assert grid_elsewhere.status_code == 400 and "不属于" in grid_elsewhere.get_data(as_text=True)
    assert _counts(demo_app) == before
