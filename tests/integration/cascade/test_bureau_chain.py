"""The bureau side signed (issue 10 part 4): the bureau agreements are issued with the campaign,
signed through the real signing flow, and bind every bureau link of a trace.

On the demo county: the school agreement, the cascade down to a level-3 grid and the bureau's
internal agreements above the school are signed with real PAdES signatures; then
``flask chain trace --grid G --json`` shows an agreement in state ``signed`` at every link from
the grid owner to the bureau chief, and ``flask campaign show --json`` lists the bureau agreements.
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.serialization import Encoding
from fixtures.cascade_workflow import cascade, countersigned
from fixtures.signing_workflow import (
    TODAY,
    assert_all_valid_with_root_only,
    enrol_person,
    environment,
    holder,
    sign_as,
    store_of,
)
from sqlalchemy import select

from responsibility.agreements import bureau_agreements, issue_bureau_agreements
from responsibility.agreements.cascade import post_agreements
from responsibility.agreements.certification import certification_hook
from responsibility.agreements.seal import ensure_seal
from responsibility.agreements.signing_queries import inbox
from responsibility.chain.subjects import ChainSubject
from responsibility.chain.trace import PENDING, SIGNED, trace
from responsibility.models import Agreement, Grid, LiaisonAssignment, Person, School
from responsibility.pki.enrolment import enrolment_of
from responsibility.pki.instance import load_instance_pki


def _school_with_a_full_bureau_chain(session, chief: Person) -> School:  # type: ignore[no-untyped-def]
    """A school whose liaison is not the section chief and whose bureau leader is not the chief
    (so all three tiers bind it), with the fewest grids (the fastest cascade)."""
    best: tuple[int, School] | None = None
    for a in session.scalars(select(LiaisonAssignment)).all():
        chief_of_section = a.section.chief
        if a.bureau_leader_person_id in (None, chief.id) or chief_of_section is None:
            continue
        if a.liaison_person_id in (None, chief_of_section.id):
            continue
        size = len(a.school.grids)
        if any(g.level == 3 for g in a.school.grids) and (best is None or size < best[0]):
            best = (size, a.school)
    assert best is not None
    return best[1]


def _level3(session, sch: School) -> Grid:  # type: ignore[no-untyped-def]
    deputy = holder(session, sch, "S03")
    for grid in sorted(sch.grids, key=lambda g: g.source_id):
        if grid.level != 3 or grid.parent is None:
            continue
        owner, parent_owner = grid.owner_on(TODAY), grid.parent.owner_on(TODAY)
        if owner and parent_owner and len({owner.id, parent_owner.id, deputy.id}) == 3:
            return grid
    raise AssertionError(f"{sch.source_id}: no level-3 grid with distinct owners")


def _sign(app, session, agreement: Agreement) -> None:  # type: ignore[no-untyped-def]
    """The superior, then the holder, each with their own enrolled key and PIN."""
    for who in (agreement.superior, agreement.holder):
        if enrolment_of(session, who) is None:
            enrol_person(app, session, who)
        sign_as(app, session, agreement.id, who)
    session.refresh(agreement)
    assert agreement.state == "archived", agreement.document_number


def _issue_bureau(app, session, campaign):  # type: ignore[no-untyped-def]
    env = environment(app, session)
    summary = issue_bureau_agreements(
        session,
        campaign,
        storage=store_of(app),
        certify=certification_hook(env, ensure_seal(session, env.pki, app.config)),
        actor="test",
        today=TODAY,
    )
    session.commit()
    return summary


def test_every_link_of_a_level3_grid_is_bound_by_a_signed_agreement(pki_demo_app, pki_demo_session) -> None:  # type: ignore[no-untyped-def]
    app, s = pki_demo_app, pki_demo_session
    chief = holder(s, None, "B01")
    sch = _school_with_a_full_bureau_chain(s, chief)
    parent = countersigned(app, s, sch.source_id)
    campaign = parent.campaign

    summary = _issue_bureau(app, s, campaign)
    issued = bureau_agreements(s, campaign)
    assert summary.issued and len(issued) == len(summary.issued)
    assert {a.post_code for a in issued} == {"leader", "section", "liaison"}
    assert all(a.state == "issued" and a.kind == "bureau" for a in issued)
    assert all(a.superior_person_id != a.holder_person_id for a in issued)
    assert all([r.kind for r in a.revisions] == ["generated", "certified"] for a in issued)
    assert _issue_bureau(app, s, campaign).issued == ()  # issuing again skips every live pair

    grid = _level3(s, sch)
    cascade(app, s, sch.source_id, holder(s, sch, "S01"))
    before = trace(s, ChainSubject.grid(grid.source_id), TODAY)
    bureau_links = [t for t in before.links if t.link.role in ("liaison", "section_chief", "bureau_leader")]
    assert len(bureau_links) == 3 and all(t.agreement_state == PENDING for t in bureau_links)
    assert all(t.agreement_kind == "bureau" for t in bureau_links)

    # The superior of each bureau agreement finds it in their inbox.
    first = next(a for a in issued if a.id == bureau_links[0].agreement_db_id)
    assert first.id in {i.agreement.id for i in inbox(s, first.superior, TODAY, store_of(app))}

    by_id = {a.id: a for a in [*issued, *post_agreements(s, parent)]}
    for link in before.links:
        if link.agreement_state == PENDING and link.agreement_db_id in by_id:
            _sign(app, s, by_id[link.agreement_db_id])

    after = trace(s, ChainSubject.grid(grid.source_id), TODAY)
    roles = [t.link.role for t in after.links]
    assert roles[0] == "grid_owner" and roles[-1] == "bureau_chief"
    assert {"liaison", "section_chief", "bureau_leader", "deputy_in_charge", "safety_deputy"} <= set(roles)
    assert all(t.agreement_state == SIGNED and t.agreement_id for t in after.links), [
        (t.link.role, t.agreement_state, t.note) for t in after.links
    ]
    owner_link = after.links[0]
    named = s.get(Agreement, owner_link.agreement_db_id)
    assert named is not None and grid.id in {b.grid_id for b in named.bindings}

    # The signatures are real: every one valid with only the county root and the file's own data.
    bureau_pdf = store_of(app).read(first.pdf_sha256)
    root_der = load_instance_pki(app.instance_path, app.config).root_certificate.public_bytes(Encoding.DER)
    assert assert_all_valid_with_root_only(bureau_pdf, root_der)[-3:] == [
        "sig_superior",
        "sig_holder",
        "sig_archive_timestamp",
    ]

    runner = app.test_cli_runner()
    out = runner.invoke(args=["chain", "trace", "--grid", grid.source_id, "--json"])
    assert out.exit_code == 0, out.output
    links = json.loads(out.output)["links"]
    assert links and all(link["agreement_state"] == "signed" and link["agreement_id"] for link in links)
    shown = runner.invoke(args=["campaign", "show", str(campaign.id), "--json"])
    assert shown.exit_code == 0, shown.output
    listed = {b["document_number"]: b for b in json.loads(shown.output)["bureau_agreements"]}
    assert set(listed) == {a.document_number for a in issued}
    assert listed[first.document_number]["state"] == "archived"
    assert listed[first.document_number]["parties"]["party_a"]["person_id"] == first.superior.source_id
