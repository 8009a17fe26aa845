"""The sign page previews the agreement as page images (phone browsers show no PDF frame): each
page is a PNG rendered by pdftoppm, cached under the instance folder, and access-checked like the
PDF itself (another school's principal, a teacher, a page that does not exist: 404)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_agreement_download import _issue

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")


def test_the_sign_page_shows_every_page_as_an_image_for_its_readers_only(
    demo_app, login, make_campaign, agreement_id
) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign("SCH001", "SCH002")
    own, other = agreement_id(campaign, "SCH001"), agreement_id(campaign, "SCH002")
    _issue(demo_app, campaign)
    principal = login("P00027")  # principal of SCH001

    page = principal.get(f"/sign/{own}").get_data(as_text=True)
    assert "<iframe" not in page
    count = int(re.search(r'id="pdf-pages" data-pages="(\d+)"', page).group(1))
    assert count >= 2 and page.count('class="pdf-page"') == count
    first = principal.get(f"/sign/{own}/pages/1.png")
    assert first.status_code == 200 and first.mimetype == "image/png" and first.data.startswith(b"\x89PNG")
    assert first.headers["Cache-Control"] == "private, no-store"
    cached = list((Path(demo_app.instance_path) / "previews").rglob("1.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == first.data
    assert principal.get(f"/sign/{own}/pages/{count}.png").status_code == 200
    assert principal.get(f"/sign/{own}/pages/{count + 1}.png").status_code == 404
    assert principal.get(f"/sign/{own}/pages/0.png").status_code == 404

    assert principal.get(f"/sign/{other}/pages/1.png").status_code == 404  # another school's
    assert login("P00047").get(f"/sign/{own}/pages/1.png").status_code == 404  # a teacher
