"""The bureau admin creates a campaign, generates in the background, previews, regenerates and
issues; auditors and bureau leaders only look; everyone else gets 404."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from responsibility.instance import install_instance
from responsibility.models import AuditEvent, BatchJob, PostAssignment, School


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "2025—2026年冬春季安全责任书",
        "start": "2024-11-15",
        "end": "2025-04-30",
        "due": "",
        "season": "",
        "template": "winter_spring/2025-v1",
        "copies": "3",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_campaign(demo_app, login) -> None:  # type: ignore[no-untyped-def]
    admin = login("admin")
    page = admin.get("/campaigns/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "新建签订活动" in html and "还没有签订活动" in html

    created = admin.post("/campaigns/", data=_form())
    assert created.status_code == 302
    match = re.fullmatch(r"/campaigns/(\d+)", created.headers["Location"])
    assert match
    html = admin.get(created.headers["Location"]).get_data(as_text=True)
    assert "2025—2026年冬春季安全责任书" in html and "生成全部责任书" in html and "尚未生成责任书" in html


def _field_errors(html: str) -> dict[str, list[str]]:
    """The errors shown under each field of the campaign form: {input name: [messages]}."""
    found: dict[str, list[str]] = {}
    for block in re.findall(r'<div class="form-field has-error">(.*?)</div>', html, re.S):
        name = re.search(r'name="(\w+)"', block).group(1)
        found[name] = re.findall(r'<p class="field-error" role="alert">([^<]*)</p>', block)
    return found


def test_bad_campaign_input_is_a_400_with_each_error_under_its_field(demo_app, login) -> None:  # type: ignore[no-untyped-def]
    admin = login("admin")
    backwards = admin.post("/campaigns/", data=_form(start="2025-04-30", end="2024-11-15"))
    assert backwards.status_code == 400
    assert _field_errors(backwards.get_data(as_text=True)) == {"end": ["责任期的结束日期必须晚于开始日期。"]}
    outside = admin.post("/campaigns/", data=_form(due="2026-01-01"))
    assert _field_errors(outside.get_data(as_text=True)) == {"due": ["签订截止日期必须在责任期之内。"]}
    not_a_date = admin.post("/campaigns/", data=_form(start="15/11/2024"))
    assert not_a_date.status_code == 400 and list(_field_errors(not_a_date.get_data(as_text=True))) == ["start"]
    for bad in ("../../etc", "winter_spring/1999-v9", "post_agreement/2025-v1"):
        broken = admin.post("/campaigns/", data=_form(template=bad))
        html = broken.get_data(as_text=True)
        assert broken.status_code == 400 and _field_errors(html) == {"template": ["没有安装这个模板。"]}
        assert str(demo_app.root_path) not in html and "pdf_templates" not in html  # no server path
    admin.post("/campaigns/", data=_form())
    again = admin.post("/campaigns/", data=_form())
    assert again.status_code == 400
    assert _field_errors(again.get_data(as_text=True)) == {"name": ["已有同名的签订活动。"]}
    english = admin.post("/campaigns/?lang=en", data=_form())
    assert english.status_code == 400 and "already exists" in english.get_data(as_text=True)


def test_background_generation_reaches_100_percent(demo_app, login) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.web.campaigns.routes import DISPATCHER_KEY

    admin = login("admin")
    campaign_url = admin.post("/campaigns/", data=_form()).headers["Location"]
    started = admin.post(campaign_url + "/generate")
    assert started.status_code == 302
    job_url = started.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    assert demo_app.extensions[DISPATCHER_KEY].join(job_id, timeout=300)

    progress = admin.get(job_url + ".json").get_json()
    assert progress == {
        "id": job_id,
        "kind": "generate",
        "state": "finished",
        "total": 60,
        "done": 60,
        "failed": 0,
        "percent": 100,
        "errors": [],
        "message": None,
    }
    html = admin.get(job_url).get_data(as_text=True)
    assert "100%" in html and 'http-equiv="refresh"' not in html
    html = admin.get(campaign_url).get_data(as_text=True)
    assert html.count("JTAQ-2024DC-SCH0") == 60 and 'class="stale"' not in html
    assert 'id="stale-flags"' in html and html.count("检查中…") == 60  # the flags come from stale.json
    flags = admin.get(f"{campaign_url}/stale.json").get_json()
    assert len(flags["checked"]) == 60 and flags["stale"] == {}
    checked = admin.get(f"{campaign_url}?check=1").get_data(as_text=True)  # without JavaScript
    assert 'id="stale-flags"' not in checked and checked.count(">最新<") == 60
    with demo_app.app_context():
        assert db.session.get(BatchJob, job_id).backend == "thread"


def test_preview_download_regenerate_issue_and_stale(demo_app, login, make_campaign, agreement_id) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign = make_campaign("SCH001", "SCH002")
    admin = login("admin")
    aid = agreement_id(campaign, "SCH001")

    preview = admin.get(f"/campaigns/agreements/{aid}/pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline;")
    first = preview.data
    assert first.startswith(b"%PDF-")
    download = admin.get(f"/campaigns/agreements/{aid}/pdf?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;") and download.data == first

    with demo_app.app_context():
        db.session.execute(update(School).where(School.source_id == "SCH001").values(students=School.students + 7))
        db.session.commit()
    page = admin.get(f"/campaigns/agreements/{aid}").get_data(as_text=True)
    assert 'id="stale"' in page and "数据已变化：" in page and "按当前数据重新生成" in page
    regenerated = admin.post(f"/campaigns/agreements/{aid}/regenerate")
    assert regenerated.status_code == 302
    page = admin.get(f"/campaigns/agreements/{aid}").get_data(as_text=True)
    assert 'id="stale"' not in page and "责任书已重新生成" in page
    second = admin.get(f"/campaigns/agreements/{aid}/pdf").data
    assert second != first

    # the confirmation step first, then the issue runs as a background job with a progress page
    confirm = admin.get(f"/campaigns/{campaign}/issue").get_data(as_text=True)
    assert 'data-drafts="2"' in confirm and "确认签发" in confirm
    refused = admin.post(f"/campaigns/{campaign}/issue")
    assert refused.status_code == 302 and "/campaigns/jobs/" in refused.headers["Location"]
    _join_issue(demo_app, refused.headers["Location"])
    failed = admin.get(refused.headers["Location"]).get_data(as_text=True)
    assert 'data-kind="issue"' in failed and "有 58 所学校没有责任书" in failed  # the refusal in the reader's language
    english = admin.get(refused.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "no agreement for 58 school(s)" in english
    with demo_app.app_context():
        row = db.session.get_one(BatchJob, int(refused.headers["Location"].rsplit("/", 1)[1]))
        assert row.message.startswith("no agreement for 58 school(s)")  # the CLI and the audit event read English
        assert row.message_data["msgid"].startswith("no agreement for %(count)s school(s)")
        db.session.remove()
    issued = admin.post(f"/campaigns/{campaign}/issue", data={"allow_missing": "1"})
    assert issued.status_code == 302
    _join_issue(demo_app, issued.headers["Location"])
    progress = admin.get(issued.headers["Location"] + ".json").get_json()
    assert (
        progress["kind"] == "issue" and progress["state"] == "finished" and progress["done"] == progress["total"] == 2
    )
    assert "100%" in admin.get(issued.headers["Location"]).get_data(as_text=True)
    assert admin.get(f"/campaigns/{campaign}/issue").status_code == 404  # nothing left to confirm

    with demo_app.app_context():
        db.session.execute(
            update(PostAssignment)
            .where(
                PostAssignment.post_code == "S03",
                PostAssignment.org_id == select(School.id).where(School.source_id == "SCH001").scalar_subquery(),
            )
            .values(business_duty="分管安全、后勤和基建")
        )
        db.session.commit()
    page = admin.get(f"/campaigns/agreements/{aid}").get_data(as_text=True)
    assert 'id="stale"' in page and "按当前数据重新生成" not in page
    assert admin.get(f"/campaigns/agreements/{aid}/pdf").data == second  # never changed silently
    flags = admin.get(f"/campaigns/{campaign}/stale.json").get_json()
    assert flags["stale"] == {str(aid): "data changed"} and aid in flags["checked"]
    assert 'class="stale"' in admin.get(f"/campaigns/{campaign}?check=1").get_data(as_text=True)
    frozen = admin.post(f"/campaigns/agreements/{aid}/regenerate")
    assert frozen.status_code == 409
    assert admin.post(f"/campaigns/{campaign}/generate").status_code == 409

    with demo_app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "agreement.exported" in actions and "campaign.issued" in actions


def _join_issue(app, job_url: str) -> None:  # type: ignore[no-untyped-def]
    from responsibility.web.campaigns.routes import ISSUE_RUNNERS_KEY

    job_id = int(job_url.rsplit("/", 1)[1])
    assert app.extensions[ISSUE_RUNNERS_KEY][job_id].join(timeout=300)


def test_viewers_look_but_do_not_manage(demo_app, login, make_campaign, agreement_id) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign("SCH005")
    aid = agreement_id(campaign, "SCH005")
    for username in ("auditor", "P00001"):
        viewer = login(username)
        html = viewer.get(f"/campaigns/{campaign}").get_data(as_text=True)
        assert "JTAQ-2024DC-SCH005" in html and "生成全部责任书" not in html
        assert viewer.get(f"/campaigns/{campaign}/stale.json").get_json()["stale"] == {}
        assert viewer.get(f"/campaigns/agreements/{aid}/pdf").status_code == 200
        assert "新建签订活动" not in viewer.get("/campaigns/").get_data(as_text=True)
        assert viewer.post("/campaigns/", data=_form()).status_code == 404
        assert viewer.post(f"/campaigns/{campaign}/generate").status_code == 404
        assert viewer.post(f"/campaigns/{campaign}/issue").status_code == 404
        assert viewer.post(f"/campaigns/agreements/{aid}/regenerate").status_code == 404


def test_section_staff_get_404(demo_app, login, make_campaign, agreement_id) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign("SCH001")
    aid = agreement_id(campaign, "SCH001")
    staff = login("P00010")
    for url in (
        f"/campaigns/{campaign}",
        f"/campaigns/{campaign}/stale.json",
        f"/campaigns/agreements/{aid}",
        f"/campaigns/agreements/{aid}/pdf",
        "/campaigns/jobs/1",
    ):
        assert staff.get(url).status_code == 404, url
    assert login("admin").get("/campaigns/999").status_code == 404
    assert login("admin").get("/campaigns/999/stale.json").status_code == 404
    assert login("admin").get("/campaigns/agreements/999").status_code == 404


def test_forms_need_the_csrf_token(demo_app, login, make_campaign) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign()
    admin = login("admin")
    demo_app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert admin.post("/campaigns/", data=_form(name="csrf")).status_code == 400
        assert admin.post(f"/campaigns/{campaign}/generate").status_code == 400
        assert admin.post(f"/campaigns/{campaign}/issue").status_code == 400
        page = admin.get(f"/campaigns/{campaign}").get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 1
    finally:
        demo_app.config["WTF_CSRF_ENABLED"] = False


def test_an_unreachable_job_queue_fails_the_batch_not_the_page(demo_app, login, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.web.campaigns.routes import DISPATCHER_KEY

    campaign = make_campaign()
    demo_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    install_instance(demo_app)  # the settings are frozen: rebuild them after the change
    demo_app.extensions.pop(DISPATCHER_KEY, None)
    admin = login("admin")
    started = admin.post(f"/campaigns/{campaign}/generate")
    assert started.status_code == 302
    job = admin.get(started.headers["Location"] + ".json").get_json()
    assert job["state"] == "failed" and job["message"].startswith("无法启动该批次：")
    english = admin.get(started.headers["Location"] + ".json?lang=en").get_json()
    assert english["message"].startswith("could not start the batch: ")
    assert "批量生成未能启动" in admin.get(started.headers["Location"]).get_data(as_text=True)
