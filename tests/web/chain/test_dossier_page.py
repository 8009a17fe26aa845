"""The dossier page: the place's chain with marks, visibility as the chain page, the ZIP for
county-wide viewers, bad moments refused in the reader's language."""

from __future__ import annotations

import io
import json
import re
import zipfile

from fixtures.instance_pki import install_pki
from test_chain_page import _other_building, _own_school_and_building


def test_school_head_sees_the_marked_chain_of_a_building_of_their_school(demo_app, login) -> None:
    client = login("P00027")
    _, building = _own_school_and_building(demo_app, "P00027")
    response = client.get(f"/chain/dossier?building={building}&at=2026-01-15T09:30")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    roles = re.findall(r'data-role="([a-z_]+)"', html)
    assert roles[0] == "bureau_chief" and "principal" in roles
    marks = set(re.findall(r'data-mark="([a-z_]+)"', html))
    assert marks and marks <= {"done", "not_done", "no_record"}
    # no campaign covers that day in the bare demo: every agreement is missing, so every link is 未履职
    assert marks == {"not_done"}
    assert "未履职" in html and "当时未签订责任书" in html
    assert 'value="2026-01-15T09:30"' in html
    # a school head may not make the ZIP (county-wide viewers only): no button, and the POST is a 404
    assert "/evidence/dossier.zip" not in html
    assert (
        client.post("/audit/evidence/dossier.zip", data={"building": building, "at": "2026-01-15T09:30"}).status_code
        == 404
    )


def test_another_schools_place_is_a_404(demo_app, login) -> None:
    client = login("P00027")
    school, _ = _own_school_and_building(demo_app, "P00027")
    other = _other_building(demo_app, school)
    assert client.get(f"/chain/dossier?building={other}&at=2026-01-15T09:30").status_code == 404
    assert client.get("/chain/dossier?grid=GNOPE").status_code == 404


def test_bad_or_future_moments_are_refused_in_the_readers_language(demo_app, login) -> None:
    client = login("P00002")
    _, building = _own_school_and_building(demo_app, "P00027")
    bad = client.get(f"/chain/dossier?building={building}&at=tomorrow")
    assert bad.status_code == 400 and "时间格式应为" in bad.get_data(as_text=True)
    future = client.get(f"/chain/dossier?building={building}&at=2999-01-01T08:00", headers={"Accept-Language": "en"})
    assert future.status_code == 400
    english = client.get(f"/chain/dossier?building={building}&at=2999-01-01T08:00&lang=en")
    assert "future" in future.get_data(as_text=True) or "future" in english.get_data(as_text=True)


def test_the_auditor_downloads_the_zip(demo_app, login, instance_pki_template) -> None:
    install_pki(instance_pki_template, demo_app.instance_path)
    client = login("auditor")
    _, building = _own_school_and_building(demo_app, "P00027")
    page = client.get(f"/chain/dossier?building={building}&at=2026-01-15T09:30").get_data(as_text=True)
    assert 'action="/audit/evidence/dossier.zip"' in page
    response = client.post("/audit/evidence/dossier.zip", data={"building": building, "at": "2026-01-15T09:30"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        body = json.loads(archive.read("dossier.json"))
        assert "DOSSIER.txt" in archive.namelist()
    assert body["place"] == {"kind": "building", "id": building}
    assert body["at"].startswith("2026-01-15T01:30:00")  # 09:30 in Beijing
    assert client.post("/audit/evidence/dossier.zip", data={"building": building, "at": "later"}).status_code == 400
