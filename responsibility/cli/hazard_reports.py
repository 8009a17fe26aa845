"""`flask hazard ledger | escalate`: the ledger (台账) and the escalation of overdue hazards."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..atomic_files import write_atomic
from ..extensions import db, db_session
from ..hazards.escalation import run_hazard_escalation
from ..hazards.ledger import LedgerFilter, ledger_rows, ledger_xlsx
from ..notify import deliver_mail
from .clock import county_today
from .context import settings
from .errors import handle_domain_errors
from .hazard_common import group, parse_date


@group.command("ledger")
@click.option("--school", help="School source id; default the whole county.")
@click.option("--state", help="A state name (reported, planned, rectifying, …).")
@click.option("--level", help="一般 or 重大.")
@click.option("--area", help="Risk area code.")
@click.option("--town", help="Town source id.")
@click.option("--overdue", is_flag=True, help="Only open hazards past their deadline.")
@click.option("--at", "at_text", help="Judge 'overdue' on this day (default today).")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Write the import-format workbook."
)
@handle_domain_errors
def ledger_command(
    school: str | None,
    state: str | None,
    level: str | None,
    area: str | None,
    town: str | None,
    overdue: bool,
    at_text: str | None,
    as_json: bool,
    xlsx: Path | None,
) -> None:
    """The hazard ledger, filtered; --xlsx writes it in the import format."""
    at = parse_date(at_text, "--at") or county_today()
    filters = LedgerFilter(school=school, state=state, level=level, area=area, town=town, overdue=overdue)
    rows = ledger_rows(db_session(), filters, at=at)
    data = ledger_xlsx(db_session(), rows) if xlsx else None
    db.session.rollback()
    if xlsx and data is not None:
        write_atomic(xlsx, data)
    if as_json:
        click.echo(json.dumps([{k: v for k, v in r.items() if k != "id"} for r in rows], ensure_ascii=False, indent=1))
        return
    for r in rows:
        flag = f" 逾期{r['days_overdue']}天" if r["overdue"] else ""
        click.echo(
            f"{r['file_no']}\t{r['school_id']}\t{r['level'] or '—'}\t{r['state']}{flag}\t{r['description'] or ''}"
        )
    click.echo(f"{len(rows)} hazards" + (f"; {xlsx}" if xlsx else ""))


@group.command("escalate")
@click.option("--at", "at_text", help="Judge overdue hazards on this day (default today).")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def escalate_command(at_text: str | None, as_json: bool) -> None:
    """Raise overdue hazards up their grid's chain (one level per run, after the delays), then mail."""
    at = parse_date(at_text, "--at") or county_today()
    summary = run_hazard_escalation(db_session(), at=at, delays=settings().hazards.escalation_days)
    db.session.commit()
    mail = deliver_mail(db_session(), settings().mail)
    db.session.commit()
    if as_json:
        click.echo(json.dumps(summary.as_dict() | {"mail": {"sent": mail.sent}}, ensure_ascii=False, indent=1))
        return
    for r in summary.raised:
        click.echo(f"level {r.level}\t{r.document_number}\t{r.school_id}\t{','.join(r.recipients) or '(nobody)'}")
    click.echo(
        f"{summary.overdue} overdue on {at.isoformat()}; raised {len(summary.raised)}; "
        f"{summary.notifications} notifications; veto candidates {len(summary.veto_candidates)}"
    )
