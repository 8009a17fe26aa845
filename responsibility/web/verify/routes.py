"""The public verifier's pages (no login): upload and report, and the registry state of one
document (where the QR code printed on every page of an agreement leads)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ...extensions import limiter
from ...verify import VerificationReport
from ...verify.headline import certificate_trust, headline, required_status
from . import labels
from .blueprint import bp
from .door import cap_request, county_trust_names, limits, registry, verify_upload
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


def _rate_limit() -> str:
    return str(current_app.config.get("VERIFY_RATE_LIMIT") or "60 per minute")


def _report_context(report: VerificationReport | None) -> dict:  # type: ignore[type-arg]
    """The plain sentence, its explanation and the trust line of each signature (only for a
    report: the registry page of a document needs no PKI)."""
    if report is None:
        return {}
    county, issuers = county_trust_names()
    return {
        "headline": headline(report),
        "labels": labels,
        "county": county,
        "required_status": lambda field, signed: required_status(report, field, signed),
        "trust_of": lambda sig: certificate_trust(sig, issuers),
    }


def _page(form: UploadForm, *, report: VerificationReport | None = None, status: int = 200, **context):  # type: ignore[no-untyped-def]
    context.update(_report_context(report))
    return (
        render_template(
            "verify/index.html",
            form=form,
            report=report,
            state_labels=STATE_LABELS,
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
