"""The public verifier's pages (no login): upload and report, and the registry state of one
document (where the QR code printed on every page of an agreement leads)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ...extensions import limiter
from ...verify import VerificationReport
from .blueprint import bp
from .door import cap_request, limits, registry, verify_upload
from .forms import UploadForm

STATE_LABELS = {
    "draft": _("Draft"),
    "issued": _("Issued, awaiting the school's signatures"),
    "school_signed": _("Signed by the school, awaiting the bureau"),
    "countersigned": _("Countersigned by the bureau"),
    "archived": _("Complete and archived"),
    "void": _("Void"),
    "superseded": _("Superseded"),
}
VERDICT_CLASSES = {"valid": "ok", "incomplete": "pending", "invalid": "bad", "unreadable": "bad"}


def _rate_limit() -> str:
    return str(current_app.config.get("VERIFY_RATE_LIMIT") or "60 per minute")


def _page(form: UploadForm, *, report: VerificationReport | None = None, status: int = 200, **context):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "verify/index.html",
            form=form,
            report=report,
            state_labels=STATE_LABELS,
            verdict_classes=VERDICT_CLASSES,
            max_mb=limits().max_bytes // (1024 * 1024),
            **context,
        ),
        status,
    )


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def upload():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return _page(UploadForm())
    try:
        cap_request()
        form = UploadForm()  # reads the body: over the cap raises here
        if not form.validate_on_submit():
            return _page(form, status=400)
        data = form.file.data.read(limits().max_bytes + 1)
    except RequestEntityTooLarge:
        return _page(UploadForm(formdata=None), status=413, too_large=True)
    if len(data) > limits().max_bytes:
        return _page(form, status=413, too_large=True)
    return _page(form, report=verify_upload(data), filename=form.file.data.filename)


@bp.route("/verify/<document_number>", methods=["GET"])
def document(document_number: str):  # type: ignore[no-untyped-def]
    facts = registry().lookup(document_number=document_number[:100], sha256="")
    status = 200 if facts is not None else 404
    return _page(UploadForm(formdata=None), status=status, number=document_number[:100], facts=facts)
