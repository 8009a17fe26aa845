"""`flask round …`: inspection rounds from the command line (thin wrappers over ``inspections``).

``open`` prints the round id last, ``answer`` a fail's new hazard file number last. Bad input, an
item that does not apply, unanswered items at submission, a stale version: one line on stderr and
exit 2, nothing changed (the transaction is rolled back). ``--on`` is the day of the step
(default today, never in the future): the inspector's post must be held that day.
"""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import AppGroup

from .. import inspections
from ..agreements.certification import certification_for_issue
from ..errors import BadInput
from ..extensions import db, db_session
from ..inspections.result import submit_with_result
from ..jobs.transactions import commit_with_retry, unlock_and_commit
from .context import instance, settings
from .errors import handle_domain_errors
from .hazard_common import on_option, parse_date, photo_files, photo_store_of, run_step, step_day
from .keys import read_pin_file
from .pki import find_person, instance_pki

group = AppGroup("round", help="Inspection rounds 大排查: open, checklist, answer, assign, submit, status.")

CLI_ACTOR = "cli"
version_option = click.option(
    "--expected-version", type=int, help="Fail with a conflict unless the checklist is at this version."
)


def _day(text: str, option: str) -> dt.date:
    day = parse_date(text, option)
    if day is None:
        raise BadInput(f"{option}: 缺少日期。 (a date is required)")
    return day


@group.command("open")
@click.argument("name")
@click.option("--start", "start_text", required=True, help="YYYY-MM-DD")
@click.option("--end", "end_text", required=True, help="YYYY-MM-DD")
@click.option("--areas", help="Risk-area codes, comma separated (R03,R05); default all of the catalogue.")
@click.option("--town", help="Town source id (T01); default every school of the county.")
@handle_domain_errors
def open_command(name: str, start_text: str, end_text: str, areas: str | None, town: str | None) -> None:
    """Open a round; each school (of the town) gets its checklist by its features."""
    start, end = _day(start_text, "--start"), _day(end_text, "--end")
    codes = [a for a in (areas or "").split(",") if a.strip()] or None
    the_round = run_step(
        lambda: inspections.open_round(
            db_session(), name=name, start=start, end=end, areas=codes, town=town, actor=CLI_ACTOR
        )
    )
    count = len(the_round.checklists)
    db.session.commit()
    click.echo(f"{count} 所学校的检查表 ({count} school checklists)", err=True)
    click.echo(the_round.id)


@group.command("checklist")
@click.argument("round_id")
@click.argument("school")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def checklist_command(round_id: str, school: str, as_json: bool) -> None:
    """The school's checklist in the round (its items, what is still unanswered)."""
    session = db_session()
    checklist = inspections.find_checklist(session, round_id, school)
    items = inspections.checklist_items(checklist)
    unanswered = inspections.unanswered_items(session, checklist)
    if as_json:
        doc = {
            "round": checklist.round_id,
            "school": checklist.school.source_id,
            "status": checklist.status,
            "version": checklist.version,
            "unanswered": unanswered,
            "items": [i.as_json() for i in items],
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    todo = set(unanswered)
    for item in items:
        mark = " " if item.id in todo else "✓"
        click.echo(f"[{mark}] {item.id} {item.scope:8} {item.text}")
    click.echo(f"{checklist.status} v{checklist.version}: {len(items) - len(todo)}/{len(items)}")


@group.command("answer")
@click.argument("round_id")
@click.argument("school")
@click.argument("item")
@click.option("--by", "by", required=True, help="The inspector's person id.")
@click.option("--result", required=True, type=click.Choice(list(inspections.RESULTS)))
@click.option("--note", help="What was found (required for fail), or the reason for na.")
@click.option("--photo", "photos", multiple=True, type=click.Path(dir_okay=False), help="Up to 9 photos.")
@click.option("--building", help="Building source id, for items checked per building.")
@click.option("--grid", help="Grid source id, for items checked per grid.")
@on_option
@version_option
@handle_domain_errors
def answer_command(
    round_id: str,
    school: str,
    item: str,
    by: str,
    result: str,
    note: str | None,
    photos: tuple[str, ...],
    building: str | None,
    grid: str | None,
    on_text: str | None,
    expected_version: int | None,
) -> None:
    """Answer one item (for the school, a building or a grid); a fail opens a hazard."""
    on = step_day(on_text)
    data = photo_files(photos)
    answer = run_step(
        lambda: inspections.answer_item(
            db_session(),
            round_id,
            school,
            item,
            by=by,
            on=on,
            result=result,
            note=note,
            building=building,
            grid=grid,
            photos=data,
            limits=settings().hazards,
            store=photo_store_of(),
            expected_version=expected_version,
        )
    )
    file_no = answer.hazard.file_no if answer.hazard else None
    db.session.commit()
    click.echo(f"{answer.item_id} {answer.target or school} {answer.result}")
    if file_no:
        click.echo(file_no)


@group.command("assign")
@click.argument("round_id")
@click.argument("school")
@click.option("--by", "by", required=True, help="The school's safety deputy.")
@click.option("--person", required=True, help="The staff member who inspects.")
@on_option
@version_option
@handle_domain_errors
def assign_command(
    round_id: str, school: str, by: str, person: str, on_text: str | None, expected_version: int | None
) -> None:
    """The safety deputy assigns the school's inspector for the round."""
    on = step_day(on_text)
    run_step(
        lambda: inspections.assign_inspector(
            db_session(), round_id, school, by=by, person=person, on=on, expected_version=expected_version
        )
    )
    db.session.commit()
    click.echo(person)


@group.command("submit")
@click.argument("round_id")
@click.argument("school")
@click.option("--by", "by", required=True, help="The inspector's person id.")
@click.option(
    "--pin-file", type=click.Path(dir_okay=False), help="The inspector's signing PIN (a file): signs the result."
)
@on_option
@version_option
@handle_domain_errors
def submit_command(
    round_id: str, school: str, by: str, pin_file: str | None, on_text: str | None, expected_version: int | None
) -> None:
    """Submit the school's checklist (refused while items are unanswered); with a PKI its result
    PDF is sealed, signed by the inspector now and waits for both heads (prints its number last)."""
    on = step_day(on_text)
    context = instance()
    certify = certification_for_issue(db_session(), context)
    unlocked = env = None
    if certify is not None and pin_file is not None:
        pin = read_pin_file(pin_file)
        unlocked = unlock_and_commit(db_session(), find_person(by), pin, pki=instance_pki())
        env = context.signing_environment(db_session())
        certify = certification_for_issue(db_session(), context)
    outcome = run_step(
        lambda: commit_with_retry(
            db_session(),
            lambda: submit_with_result(
                db_session(), round_id, school, by=by, on=on, env=env, unlocked=unlocked, certify=certify,
                expected_version=expected_version, template_root=context.template_root,
            ),
        )
    )  # fmt: skip
    click.echo(f"{school} {outcome.checklist.status}")
    if outcome.document is not None:
        click.echo(outcome.document.document_number)


@group.command("status")
@click.argument("round_id")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def status_command(round_id: str, as_json: bool) -> None:
    """The bureau's view: completion per school and town, fail rate per risk area."""
    view = inspections.round_completion(db_session(), round_id)
    if as_json:
        click.echo(json.dumps(view.as_json(), ensure_ascii=False, indent=2))
        return
    for town, row in view.towns().items():
        click.echo(f"{town or '-'}: {row['submitted']}/{row['schools']} 已提交, {row['answered']}/{row['items']} 项")
    for area, row in view.areas.items():
        rate = "-" if row["fail_rate"] is None else f"{row['fail_rate']:.1%}"
        click.echo(f"{area}: pass {row['pass']} fail {row['fail']} na {row['na']} 不合格率 {rate}")
