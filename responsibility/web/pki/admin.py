"""The admin's certificate page: every issued certificate with its state; revoke one with a reason.

Only ``kind == "admin"`` may see it; everyone else gets 404, as on the other admin pages.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...clock import as_utc
from ...errors import InvalidState
from ...extensions import db, db_session
from ...models import KIND_ADMIN, IssuedCertificate
from ...pki.registry import list_certificates, revoke_certificate
from .blueprint import bp
from .forms import REASON_LABELS, RevokeForm


def _require_admin() -> None:
    if not (current_user.is_authenticated and current_user.kind == KIND_ADMIN):
        abort(404)


@bp.route("/admin/pki", methods=["GET"])
@login_required
def admin_certificates() -> str:
    _require_admin()
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "row": row,
            "not_after": as_utc(row.not_after),
            "revoked_at": as_utc(row.revoked_at) if row.revoked_at else None,
            "expired": as_utc(row.not_after) <= now,
        }
        for row in list_certificates(db_session())
    ]
    return render_template(
        "pki/admin_certificates.html", rows=rows, form=RevokeForm(formdata=None), reason_labels=REASON_LABELS
    )


@bp.route("/admin/pki/certificates/<int:certificate_id>/revoke", methods=["POST"])
@login_required
def admin_revoke(certificate_id: int) -> Response:
    _require_admin()
    row = db.session.get(IssuedCertificate, certificate_id)
    if row is None:
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose a revocation reason."))
    try:
        revoke_certificate(db_session(), row, reason=form.reason.data, actor=f"user:{current_user.username}")
    except InvalidState:
        db.session.rollback()
        flash(_("This certificate was already revoked."), "error")
        return redirect(url_for("pki.admin_certificates"))
    db.session.commit()
    flash(_("Certificate %(serial)s revoked.", serial=row.serial_hex), "info")
    return redirect(url_for("pki.admin_certificates"))
