"""`flask campaign …`: create a campaign, generate its agreements, show it, issue it.

``generate`` runs the batch in the foreground (this process is the worker, rendering on
``--workers`` processes) through the same job runner as the web page, so the page shows the
progress of a CLI run too. Exit codes of ``generate``: 0 every school generated; 1 some schools
were refused (each listed on stderr, the others were generated and committed); 2 the whole
batch was refused (bad input, one line) and nothing was written.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..agreements import (
    DEFAULT_TEMPLATE,
    BureauIssueSummary,
    PdfStore,
    ProgressStep,
    bureau_agreements,
    create_campaign,
    find_campaign,
    issue_bureau_agreements,
    issue_campaign,
    stale_agreements,
)
from ..agreements.certification import certification_for_issue
from ..errors import BadInput, InvalidState, NotFound
from ..extensions import db, db_session
from ..jobs import JobSettings, queue_generation, run_generation
from ..models import Agreement, BatchJob, Campaign, School
from ..models.agreements import AGREEMENT_KIND_SCHOOL, CAMPAIGN_ISSUED, JOB_FAILED
from .context import instance
from .errors import fail, handle_domain_errors

group = AppGroup("campaign", help="Campaigns: create, generate agreements, show, issue.")

CLI_ACTOR = "cli"
EXIT_SOME_FAILED = 1


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option}: bad date {value!r} (expected YYYY-MM-DD)") from None


def _campaign(key: str) -> Campaign:
    return find_campaign(db_session(), key)


def _school(source_id: str) -> School:
    school = db.session.scalars(select(School).where(School.source_id == source_id)).first()
    if school is None:
        raise NotFound(f"no school {source_id!r}")
    return school


def _store() -> PdfStore:
    return instance().store


@group.command("create")
@click.argument("name")
@click.option("--start", required=True, help="First day of the term (YYYY-MM-DD).")
@click.option("--end", required=True, help="Last day of the term (YYYY-MM-DD).")
@click.option("--due", default=None, help="Signing due date (default: 15 days after --start).")
@click.option("--template", "template_version", default=DEFAULT_TEMPLATE, show_default=True)
@click.option("--season", default=None, help="Season label printed (default: e.g. 2025—2026年冬春季).")
@click.option("--prefix", "document_prefix", default=None, help="Document-number prefix (default: JTAQ-<year>DC).")
@click.option("--copies", type=int, default=3, show_default=True)
@handle_domain_errors
def create_command(
    name: str,
    start: str,
    end: str,
    due: str | None,
    template_version: str,
    season: str | None,
    document_prefix: str | None,
    copies: int,
) -> None:
    """Create a draft campaign NAME; prints its id on the last line."""
    start_day, end_day = _date("--start", start), _date("--end", end)
    assert start_day is not None and end_day is not None
    try:
        campaign = create_campaign(
            db_session(),
            name=name,
            start=start_day,
            end=end_day,
            due=_date("--due", due),
            template_version=template_version,
            actor=CLI_ACTOR,
            base_url=str(current_app.config["PUBLIC_BASE_URL"]),
            season=season,
            copies=copies,
            document_prefix=document_prefix,
            template_root=instance().template_root,
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    click.echo(f"campaign {campaign.name}: {campaign.season}, template {campaign.template_version}")
    click.echo(f"document numbers: {campaign.document_prefix}-<school id>")
    click.echo(campaign.id)


@group.command("generate")
@click.argument("campaign")
@click.option("--school", "school_id", default=None, help="Only this school (import id, e.g. SCH001).")
@click.option("--workers", type=int, default=None, help="Rendering processes (default: AGREEMENT_WORKERS or CPUs).")
@handle_domain_errors
def generate_command(campaign: str, school_id: str | None, workers: int | None) -> None:
    """Generate (or regenerate, while draft) the agreements of CAMPAIGN; prints agreement ids."""
    target = _campaign(campaign)
    school = _school(school_id) if school_id else None
    try:
        job = queue_generation(db_session(), target, actor=CLI_ACTOR, backend="foreground", school=school)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    url = db.engine.url.render_as_string(hide_password=False)
    settings = JobSettings.from_settings(instance().settings, url, workers=workers)
    steps: list[ProgressStep] = []
    with click.progressbar(length=job.total, label="generating", file=sys.stderr, show_pos=True) as bar:

        def on_step(step: ProgressStep) -> None:
            steps.append(step)
            bar.update(1)

        finished = run_generation(db_session(), job.id, settings, on_step=on_step)
    if finished.state == JOB_FAILED:
        fail(finished.message or "the batch failed")
    for step in steps:
        if step.generated is not None:
            g = step.generated
            note = "" if g.changed else "  (unchanged)"
            click.echo(f"{g.agreement_id}\t{g.document_number}\t{g.school_id}{note}")
    failures = [s.failure for s in steps if s.failure is not None]
    for f in failures:
        click.echo(f"refused: {f.school_id} {f.school_name}: {f.message}", err=True)
    generated = sum(1 for s in steps if s.generated is not None)
    click.echo(f"{generated} generated, {len(failures)} refused (batch {finished.id})", err=True)
    if failures:
        sys.exit(EXIT_SOME_FAILED)


def _campaign_json(campaign: Campaign, with_stale: bool) -> dict[str, Any]:
    agreements = list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_SCHOOL)
            .order_by(Agreement.document_number)
        ).all()
    )
    stale: dict[int, str] = {}
    if with_stale and agreements:
        found = stale_agreements(db_session(), campaign, agreements, template_root=instance().template_root)
        stale = {a.id: reason for a, reason in found}
    job = db.session.scalars(
        select(BatchJob).where(BatchJob.campaign_id == campaign.id).order_by(BatchJob.id.desc()).limit(1)
    ).first()
    return {
        "id": campaign.id,
        "name": campaign.name,
        "season": campaign.season,
        "state": campaign.state,
        "term": {"start": campaign.term_start.isoformat(), "end": campaign.term_end.isoformat()},
        "due": campaign.due_date.isoformat(),
        "template": {"version": campaign.template_version, "hash": campaign.template_hash},
        "document_prefix": campaign.document_prefix,
        "agreements": [
            {
                "id": a.id,
                "document_number": a.document_number,
                "school_id": a.school.source_id,
                "school_name": a.school.name,
                "state": a.state,
                "sha256": a.pdf_sha256,
                "size": a.pdf_size,
                "data_hash": a.data_hash,
                "as_of": a.as_of.isoformat(),
                "stale": a.id in stale,
                "stale_reason": stale.get(a.id),
                "last_error": a.last_error,
            }
            for a in agreements
        ],
        "bureau_agreements": [_bureau_json(a) for a in bureau_agreements(db_session(), campaign)],
        "last_batch": None
        if job is None
        else {
            "id": job.id,
            "state": job.state,
            "total": job.total,
            "done": job.done,
            "failed": job.failed,
            "errors": job.errors,
            "message": job.message,
        },
    }


def _party(person: Any) -> dict[str, str] | None:
    return None if person is None else {"person_id": person.source_id, "name": person.name}


def _bureau_json(agreement: Agreement) -> dict[str, Any]:
    """One bureau agreement of ``campaign show --json``: id, document number, tier, parties, state."""
    return {
        "id": agreement.id,
        "document_number": agreement.document_number,
        "tier": agreement.post_code,
        "parties": {"party_a": _party(agreement.superior), "party_b": _party(agreement.holder)},
        "state": agreement.state,
        "sha256": agreement.pdf_sha256,
    }


@group.command("show")
@click.argument("campaign")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_domain_errors
def show_command(campaign: str, as_json: bool) -> None:
    """Show CAMPAIGN: its state, agreements (with stale flags) and last batch."""
    data = _campaign_json(_campaign(campaign), with_stale=True)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))
        return
    click.echo(
        f"{data['id']} {data['name']} [{data['state']}] {data['season']} {data['term']['start']} – {data['term']['end']}"
    )
    click.echo(f"template {data['template']['version']} {data['template']['hash'][:12]}…  due {data['due']}")
    batch = data["last_batch"]
    if batch:
        click.echo(
            f"last batch {batch['id']}: {batch['state']} {batch['done']}/{batch['total']}, {batch['failed']} refused"
        )
    for a in data["agreements"]:
        flag = "  STALE: " + a["stale_reason"] if a["stale"] else ""
        click.echo(f"{a['id']}\t{a['document_number']}\t{a['state']}\t{a['school_name']}{flag}")
    for b in data["bureau_agreements"]:
        a_name, b_name = (b["parties"][k]["name"] if b["parties"][k] else "—" for k in ("party_a", "party_b"))
        click.echo(f"{b['id']}\t{b['document_number']}\t{b['state']}\t{b['tier']}: {a_name} — {b_name}")


def _issue_bureau(target: Campaign, certify: Any) -> BureauIssueSummary:
    return issue_bureau_agreements(
        db_session(), target, storage=_store(), certify=certify, actor=CLI_ACTOR, template_root=instance().template_root
    )


@group.command("issue")
@click.argument("campaign")
@click.option("--allow-missing", is_flag=True, help="Issue even if some schools have no agreement.")
@handle_domain_errors
def issue_command(campaign: str, allow_missing: bool) -> None:
    """Freeze CAMPAIGN: its draft agreements become issued, and the bureau agreements are issued."""
    target = _campaign(campaign)
    try:
        certify = certification_for_issue(db_session(), instance())
        summary = issue_campaign(
            db_session(),
            target,
            actor=CLI_ACTOR,
            storage=_store(),
            template_root=instance().template_root,
            allow_missing=allow_missing,
            certify=certify,
        )
        bureau = _issue_bureau(target, certify)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    for school in summary.missing:
        click.echo(f"no agreement: {school}", err=True)
    click.echo(f"issued {len(summary.issued)} agreements of campaign {target.name}")
    click.echo(f"issued {len(bureau.issued)} bureau agreements")


@group.command("issue-bureau")
@click.argument("campaign")
@handle_domain_errors
def issue_bureau_command(campaign: str) -> None:
    """Issue the bureau agreements CAMPAIGN still lacks (after a change of leader or liaison)."""
    target = _campaign(campaign)
    if target.state != CAMPAIGN_ISSUED:
        raise InvalidState(f"campaign {target.name!r} is {target.state}: issue it first (flask campaign issue)")
    try:
        bureau = _issue_bureau(target, certification_for_issue(db_session(), instance()))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    for number in bureau.issued:
        click.echo(number)
    click.echo(f"issued {len(bureau.issued)} bureau agreements, {bureau.skipped} already issued", err=True)
