"""The agreement preview as page images (``pdf.page_images``): phone browsers that will not show a
PDF in a frame still see every page. Each image is access-checked exactly like the PDF itself and
cached under the instance folder (``<instance>/previews``)."""

from __future__ import annotations

from flask import Response, abort, send_file
from flask_login import login_required

from ...errors import NotFound
from ...models import Agreement
from ...pdf.errors import PreviewUnavailable
from ...pdf.page_images import PageImages
from ..context import instance
from .blueprint import bp
from .common import open_agreement, store


def page_images() -> PageImages:
    return PageImages(instance().settings.storage.instance_dir / "previews")


@bp.app_template_global("preview_page_count")
def preview_page_count(agreement: Agreement) -> int:
    """Pages of the agreement's current revision for the preview; 0 when no image can be made
    (the page then offers the PDF link alone)."""
    sha = agreement.pdf_sha256
    try:
        return page_images().page_count(sha, lambda: store().read(sha))
    except (PreviewUnavailable, NotFound, OSError):
        return 0


@bp.route("/<int:agreement_id>/pages/<int:page>.png")
@login_required
def page_image(agreement_id: int, page: int) -> Response:
    """One page of the current revision as PNG (404 for a page it does not have)."""
    agreement = open_agreement(agreement_id)
    sha = agreement.pdf_sha256
    try:
        path = page_images().image(sha, page, lambda: store().read(sha))
    except PreviewUnavailable:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=0, etag=f"{sha}-{page}")
    response.headers["Cache-Control"] = "private, no-store"
    return response
