"""`flask accountability …`: accountability decisions (问责) and due-diligence claims (尽职免责).
Thin wrappers over ``responsibility.accountability``; bad input is one line and exit 2."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .. import accountability
from ..accountability.documents import issue_decision_document
from ..agreements.certification import certification_for_issue
from ..errors import BadInput
from ..extensions import db, db_session
from ..messages import N_
from ..models import AccountabilityDecision, School
from .clock import county_today
from .context import instance
from .errors import handle_domain_errors
from .hazard_common import parse_date

group = AppGroup("accountability", help="Accountability decisions 问责 and due-diligence claims 尽职免责.")


@group.command("kinds")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def kinds_command(as_json: bool) -> None:
    """The forms and the degrees of responsibility of the catalogue."""
    catalogue = accountability.load_catalogue()
    doc = {
        "version": catalogue.version,
        "forms": [{"code": f.code, "name": f.name, "persons_only": f.persons_only} for f in catalogue.forms],
        "degrees": [{"code": d.code, "name": d.name} for d in catalogue.degrees],
    }
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    for f in catalogue.forms:
        click.echo(f"{f.code}\t{f.name}{'（仅对个人）' if f.persons_only else ''}")


def _persons(persons: tuple[str, ...], degrees: tuple[str, ...], default: str) -> list[tuple[str, str]]:
    given = {}
    for item in degrees:
        sid, sep, code = item.partition("=")
        if not sep or not sid.strip() or not code.strip():
            raise BadInput(N_("--degree is PERSON=DEGREE (e.g. P00027=principal), not %(value)s."), value=repr(item))
        given[sid.strip()] = code.strip()
    unknown = set(given) - set(persons)
    if unknown:
        raise BadInput(
            N_("--degree names %(persons)s, who is not named with --person."), persons=", ".join(sorted(unknown))
        )
    return [(p, given.get(p, default)) for p in persons]


@group.command("record")
@click.option("--school", help="The school (a school-level decision: name both heads with --person).")
@click.option("--person", "persons", multiple=True, help="A person the decision names (repeat).")
@click.option("--degree", "degrees", multiple=True, help="PERSON=DEGREE (default: leading).")
@click.option("--kind", "form", required=True, help="The form's code (flask accountability kinds).")
@click.option("--reason", required=True)
@click.option("--incident", help="The incident the decision rests on.")
@click.option("--finding", help="The gap finding it rests on, CHECK:SUBJECT (H2:HZ0008).")
@click.option("--campaign", help="The campaign whose assessment it rests on (id).")
@click.option("--by", help="Who decides (bureau staff); default the bureau chief.")
@click.option("--on", "on_text", help="The decision's day (YYYY-MM-DD); default today.")
@handle_domain_errors
def record_command(
    school: str | None, persons: tuple[str, ...], degrees: tuple[str, ...], form: str, reason: str,
    incident: str | None, finding: str | None, campaign: str | None, by: str | None, on_text: str | None,
) -> None:  # fmt: skip
    """Record a decision; prints its number last."""
    bases = [(k, v) for k, v in (("incident", incident), ("finding", finding), ("assessment", campaign)) if v]
    if len(bases) > 1:
        raise BadInput(N_("A decision rests on one basis: --incident, --finding or --campaign."))
    kind, ref = bases[0] if bases else ("other", "")
    day = parse_date(on_text, "--on") or county_today()
    decision = accountability.record_decision(
        db_session(), form=form, reason=reason, persons=_persons(persons, degrees, "leading"), school=school,
        basis_kind=kind, basis_ref=ref, by=by, day=day,
    )  # fmt: skip
    certify = certification_for_issue(db_session(), instance())
    if certify is not None:  # the signed decision PDF, in the same transaction
        _issue(decision, certify)
    else:
        click.echo("not issued as a PDF: no PKI yet (flask pki init, then flask accountability issue)", err=True)
    db.session.commit()
    click.echo(decision.number)


def _issue(decision: AccountabilityDecision, certify: Any) -> str:
    context = instance()
    done = issue_decision_document(
        db_session(), decision, storage=context.store, certify=certify, actor="cli", day=county_today(),
        template_root=context.template_root,
    )  # fmt: skip
    state = "issued" if done.created else "unchanged"
    click.echo(f"{done.agreement.document_number} {state}", err=True)
    return done.agreement.document_number


@group.command("issue")
@click.argument("number")
@handle_domain_errors
def issue_command(number: str) -> None:
    """Issue decision NUMBER's PDF, sealed by the bureau, for the bureau heads to sign; prints its
    document number (the same one again when it was issued already)."""
    decision = accountability.find_decision(db_session(), number)
    document_number = _issue(decision, certification_for_issue(db_session(), instance()))
    db.session.commit()
    click.echo(document_number)


def _decision_json(d: AccountabilityDecision) -> dict[str, Any]:
    return {
        "number": d.number, "scope": d.scope, "school": d.school.source_id if d.school else None, "form": d.form,
        "reason": d.reason, "basis": {"kind": d.basis_kind, "ref": d.basis_ref}, "decided_on": d.decided_on.isoformat(),
        "decided_by": d.decided_by.source_id,
        "persons": [{"person": p.person.source_id, "name": p.person.name, "roles": p.roles, "degree": p.degree}
                    for p in d.persons],
    }  # fmt: skip


@group.command("list")
@click.option("--school", help="Only this school's decisions.")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def list_command(school: str | None, as_json: bool) -> None:
    """Every decision, newest first."""
    query = select(AccountabilityDecision).order_by(AccountabilityDecision.id.desc())
    if school:
        query = query.join(School, School.id == AccountabilityDecision.school_id).where(School.source_id == school)
    rows = [_decision_json(d) for d in db_session().scalars(query)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['number']}\t{row['school'] or ''}\t{row['form']}\t{row['reason']}")


@group.command("claim")
@click.argument("number")
@click.option("--by", required=True, help="The person named in the decision who files the claim.")
@click.option("--statement", required=True, help="Why they did their part.")
@handle_domain_errors
def claim_command(number: str, by: str, statement: str) -> None:
    """File a due-diligence claim (尽职免责); links the person's records; prints the claim id last."""
    claim = accountability.file_claim(db_session(), number, by=by, statement=statement)
    db.session.commit()
    click.echo(f"{len(claim.records)} records linked", err=True)
    click.echo(claim.id)


@group.command("decide-claim")
@click.argument("claim_id", type=int)
@click.option("--accept", "decision", flag_value="accept")
@click.option("--reject", "decision", flag_value="reject")
@click.option("--reason", required=True)
@click.option("--by", required=True, help="Bureau staff deciding.")
@handle_domain_errors
def decide_claim_command(claim_id: int, decision: str | None, reason: str, by: str) -> None:
    """Accept (免责) or reject a claim."""
    if decision is None:
        raise BadInput(N_("Say --accept or --reject."))
    claim = accountability.decide_claim(
        db_session(), claim_id, accept=decision == "accept", reason=reason, by=by, day=county_today()
    )
    db.session.commit()
    click.echo(f"{claim.id}: {claim.state}")
