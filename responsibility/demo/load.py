"""Loading the demo county into a database, with working demo logins.

The one module of the demo that writes: it hands :func:`~.county.build_demo_county` to the
importer (its only use of the importer) and sets the documented demo password on the accounts
of :data:`DEMO_LOGINS`; it never commits (the CLI command and the test fixtures do).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..accounts.passwords import check_policy, set_password
from ..accounts.service import create_admin, create_auditor
from ..audit import append_event
from ..errors import BadInput
from ..models import KIND_ADMIN, KIND_AUDITOR, User
from ..org.importing import ImportSummary, import_county
from .county import DEFAULT_SEED, build_demo_county

__all__ = ["DEMO_LOGINS", "DemoLogin", "DemoSummary", "load_demo"]

DEMO_LOGINS: tuple[tuple[str, str, str], ...] = (
    ("P00001", "局党组书记、局长（主要领导负总责）", "全县总览；任选学校查看责任链一直追溯到本人"),
    ("P00002", "分管安全副局长（分管领导具体抓）", "全县学校、隐患和督办情况"),
    ("P00010", "安全稳定股干部（包抓第一高级中学）", "查看本股室包抓的学校；打开其他学校应得到404"),
    ("P00027", "岚川县第一高级中学校长", "本校领导、岗位清单、网格树和楼栋；打开他校应得到404"),
    ("P00028", "岚川县第一高级中学党组织书记", "与校长同为第一责任人：查看本校责任清单"),
    ("P00047", "高一（1）班班主任、班级网格长", "本人网格与上溯到局长的责任链"),
    ("admin", "系统管理员（局机关）", "账号管理：签发激活链接、初始密码，创建审计员"),
    ("auditor", "审计员（全县只读）", "只读浏览全县数据和缺口报告"),
)
"""(username, role in Chinese, what to try) for each demo login; all share the demo password."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    hint: str


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`load_demo` did."""

    seed: int
    source: str
    import_summary: ImportSummary
    logins: tuple[DemoLogin, ...]
    """The demo accounts, in :data:`DEMO_LOGINS` order, all with the demo password."""


def _account(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def load_demo(
    session: Session,
    *,
    password: str,
    actor: str = "demo",
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
) -> DemoSummary:
    """Import the demo county (source ``demo:<seed>``) and make the demo logins work.

    Sets ``password`` (no forced change) on the person accounts of :data:`DEMO_LOGINS` and
    creates the ``admin`` and ``auditor`` accounts with it, or resets their password when they
    exist. Writes the import's audit event plus one ``demo.passwords_set`` event; never commits.
    ``today`` is the day in the county's zone (default :func:`responsibility.clock.today`).
    """
    check_policy(password)
    source = f"demo:{seed}"
    today = today or clock.today()
    summary = import_county(session, build_demo_county(seed), source=source, actor=actor, today=today)
    logins = []
    for username, role, hint in DEMO_LOGINS:
        user = _account(session, username)
        if username == "admin" and user is None:
            user = create_admin(session, username="admin", display_name="系统管理员", password=password, actor=actor)
        elif username == "auditor" and user is None:
            user = create_auditor(session, username="auditor", display_name="审计员", password=password, actor=actor)
        if user is None:
            raise BadInput(f"demo account {username} was not created by the import")
        if username in ("admin", "auditor") and user.kind not in (KIND_ADMIN, KIND_AUDITOR):
            raise BadInput(f"account {username} exists and is not a demo {username} account")
        set_password(user, password, must_change=False)
        logins.append(DemoLogin(username, user.display_name, role, hint))
    session.flush()
    append_event(
        session,
        actor=actor,
        action="demo.passwords_set",
        subject=source,
        data={"usernames": [login.username for login in logins], "on": today.isoformat()},
    )
    return DemoSummary(seed=seed, source=source, import_summary=summary, logins=tuple(logins))
