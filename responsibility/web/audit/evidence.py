"""Evidence-package downloads for admins, auditors and bureau leaders (everyone else: 404).

POST (the export is logged as ``evidence.exported``, so it is a state change and carries the
CSRF token); the button sits on the campaign and agreement pages through the template helper
``can_export_evidence()``.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ...accounts.access import sees_whole_county
from ...accounts.roles import roles_of
from ...errors import DomainError, NotFound
from ...evidence.export import export_evidence
from ...extensions import db, db_session
from ...models import Agreement, Campaign, User
from ..clock import local_today
from ..context import instance
from ..messages import error_text
from .blueprint import bp


def may_export_evidence() -> bool:
    if not current_user.is_authenticated:
        return False
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return sees_whole_county(roles_of(db_session(), user, local_today()))


@bp.app_context_processor
def _evidence_helpers() -> dict[str, object]:
    return {"can_export_evidence": may_export_evidence}


def _send(back: str, **scope: object) -> Response:
    if not may_export_evidence():
        abort(404)
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        result = export_evidence(
            db_session(),
            instance(),
            actor=user.username,
            **scope,  # type: ignore[arg-type]
        )
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(gettext("The evidence package could not be made: %(reason)s", reason=error_text(exc)), "error")
        return redirect(back)  # type: ignore[return-value]
    db.session.commit()
    return Response(
        result.data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{result.file_name}"'},
    )


@bp.route("/evidence/agreements/<int:agreement_id>.zip", methods=["POST"])
@login_required
def evidence_agreement(agreement_id: int) -> Response:
    if not may_export_evidence() or db.session.get(Agreement, agreement_id) is None:
        abort(404)
    return _send(url_for("campaigns.agreement", agreement_id=agreement_id), agreement_id=agreement_id)


@bp.route("/evidence/campaigns/<int:campaign_id>.zip", methods=["POST"])
@login_required
def evidence_campaign(campaign_id: int) -> Response:
    if not may_export_evidence() or db.session.get(Campaign, campaign_id) is None:
        abort(404)
    return _send(url_for("campaigns.campaign", campaign_id=campaign_id), campaign_key=campaign_id)


__all__ = ["evidence_agreement", "evidence_campaign"]
