"""``flask cascade issue SCHOOL_ID [--campaign C] [--by PERSON]``: issue a school's post
agreements (岗位安全责任书) after its school agreement is countersigned (``agreements.cascade``);
``flask cascade confirmations CAMPAIGN [--school S] [--at DATE]``: issue the successors'
supplementary confirmations (补充确认, ``agreements.confirmations``)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..agreements.campaigns import find_campaign
from ..agreements.cascade import issue_cascade
from ..agreements.certification import certification_for_issue
from ..agreements.confirmations import issue_confirmations
from ..errors import BadInput, NotFound
from ..extensions import db, db_session
from ..jobs.transactions import commit_with_retry
from ..models import Person, School
from .clock import county_today
from .context import instance
from .errors import handle_domain_errors

group = AppGroup("cascade", help="The cascade of internal post agreements (岗位安全责任书).")


def _school(source_id: str) -> School:
    school = db.session.scalars(select(School).where(School.source_id == source_id)).one_or_none()
    if school is None:
        raise NotFound(f"no school {source_id!r}")
    return school


def _day(at: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(at) if at else county_today()
    except ValueError:
        raise BadInput(f"--at: bad date {at!r} (expected YYYY-MM-DD)") from None


@group.command("issue")
@click.argument("school_id")
@click.option("--campaign", "campaign_key", default=None, help="Campaign id or name (default: the school's newest).")
@click.option("--by", "by_person", default=None, help="Issuing school leader (person import id); checked if given.")
@click.option("--at", "at", default=None, help="Day whose post holders and grid owners count (YYYY-MM-DD).")
@handle_domain_errors
def issue_command(school_id: str, campaign_key: str | None, by_person: str | None, at: str | None) -> None:
    """Issue SCHOOL_ID's missing post agreements, certified, for the superiors and holders to sign."""
    school = _school(school_id)
    issuer = None
    if by_person is not None:
        issuer = db.session.scalars(select(Person).where(Person.source_id == by_person)).one_or_none()
        if issuer is None:
            raise NotFound(f"no person {by_person!r}")
    day = _day(at)
    campaign = find_campaign(db_session(), campaign_key) if campaign_key else None
    context = instance()
    summary = commit_with_retry(
        db_session(),
        lambda: issue_cascade(
            db_session(),
            school,
            storage=context.store,
            certify=certification_for_issue(db_session(), context),
            actor="cli",
            day=day,
            issuer=issuer,
            campaign=campaign,
            check_leader=issuer is not None,
            template_root=context.template_root,
        ),
    )
    for number in (*summary.issued, *summary.confirmations):
        click.echo(number)
    click.echo(
        f"issued {len(summary.issued)} post agreements under {summary.school_agreement} "
        f"({summary.skipped} already issued) and {len(summary.confirmations)} confirmations "
        f"({summary.confirmed} links bound by a confirmation)",
        err=True,
    )


@group.command("confirmations")
@click.argument("campaign_key")
@click.option("--school", "school_id", default=None, help="Only this school (import id).")
@click.option("--at", "at", default=None, help="Handovers known on this day count (YYYY-MM-DD; default today).")
@handle_domain_errors
def confirmations_command(campaign_key: str, school_id: str | None, at: str | None) -> None:
    """Issue CAMPAIGN's pending supplementary confirmations (补充确认) to the season's successors;
    idempotent. Prints each document number issued, then a summary line on stderr."""
    campaign = find_campaign(db_session(), campaign_key)
    school_ids = (_school(school_id).id,) if school_id is not None else ()
    day = _day(at)
    context = instance()
    summary = commit_with_retry(
        db_session(),
        lambda: issue_confirmations(
            db_session(),
            campaign,
            storage=context.store,
            certify=certification_for_issue(db_session(), context),
            actor="cli",
            day=day,
            school_ids=school_ids,
            template_root=context.template_root,
        ),
    )
    for number in summary.issued:
        click.echo(number)
    for text in summary.unbound:
        click.echo(f"waiting: {text} (the predecessor's agreement is not complete)", err=True)
    click.echo(
        f"issued {len(summary.issued)} confirmations ({summary.skipped} already issued, "
        f"{len(summary.unbound)} waiting for the predecessor's agreement)",
        err=True,
    )
