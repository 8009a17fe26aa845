"""`flask escalate run` and `flask escalate email`."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from trace_data import DUE, make_agreement, make_campaign

from responsibility.models import MailAddress, Notification


def test_escalate_run_json_and_idempotent(county, runner):
    s = county.session
    campaign = make_campaign(s)
    make_agreement(s, campaign, county.orgs["SCH-A"], "issued")
    s.commit()
    at = (DUE + dt.timedelta(days=1)).isoformat()
    result = runner.invoke(args=["escalate", "run", "--at", at, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overdue"] == 1 and data["raised"][0]["level"] == 1
    assert set(data["raised"][0]["recipients"]) == {"P-LIA", "P-SECCHIEF"}
    again = runner.invoke(args=["escalate", "run", "--at", at, "--json"])
    assert json.loads(again.output)["raised"] == []
    s.expire_all()
    assert s.scalar(select(func.count()).select_from(Notification)) == 2


def test_escalate_bad_date_and_email(county, runner):
    bad = runner.invoke(args=["escalate", "run", "--at", "yesterday"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    assert runner.invoke(args=["escalate", "email", "P-NOBODY", "a@b.c"]).exit_code == 2
    assert runner.invoke(args=["escalate", "email", "P-LIA", "not-an-address"]).exit_code == 2
    ok = runner.invoke(args=["escalate", "email", "P-LIA", "lia@example.org"])
    assert ok.exit_code == 0, ok.output
    s = county.session
    s.expire_all()
    assert s.get(MailAddress, county.persons["P-LIA"].id).email == "lia@example.org"
    assert runner.invoke(args=["escalate", "email", "P-LIA"]).exit_code == 0
    s.expire_all()
    assert s.get(MailAddress, county.persons["P-LIA"].id) is None
