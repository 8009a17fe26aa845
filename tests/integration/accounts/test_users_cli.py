"""`flask users …`: exit codes, one-line errors, passwords never on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from responsibility.accounts.passwords import verify_password
from responsibility.extensions import db
from responsibility.models import KIND_ADMIN, KIND_AUDITOR, KIND_PERSON, AuditEvent, Person, User


def password_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pw.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def account(app, username: str) -> User | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def assert_one_line_error(result, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_create_admin_from_file(app, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "admin",
            "--name",
            "系统管理员",
            "--password-file",
            password_file(tmp_path, "admin-pass-2025\n"),
        ]
    )
    assert result.exit_code == 0, result.output
    user = account(app, "admin")
    assert user is not None and user.kind == KIND_ADMIN and user.display_name == "系统管理员"
    assert verify_password(user.password_hash, "admin-pass-2025")  # the newline is not part of it
    assert user.must_change_password is False


def test_create_admin_prompts_twice(app, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "create-admin", "boss"], input="boss-pass-2025\nboss-pass-2025\n")
    assert result.exit_code == 0, result.output
    assert "boss-pass-2025" not in result.output
    user = account(app, "boss")
    assert user is not None and user.display_name == "boss" and verify_password(user.password_hash, "boss-pass-2025")


def test_create_admin_prompt_mismatch_creates_nothing(app, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "create-admin", "boss"], input="boss-pass-2025\nother-pass-2025\n")
    assert result.exit_code != 0
    assert account(app, "boss") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("short\n", "至少需要"), ("\n", "empty"), ("1234567890123\n", "不能全是数字")],
)
def test_create_admin_bad_password_is_one_line_exit_2(app, runner, tmp_path: Path, text: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "create-admin", "admin", "--password-file", password_file(tmp_path, text)])
    assert_one_line_error(result, fragment)
    assert account(app, "admin") is None


def test_missing_password_file_is_one_line_exit_2(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "create-admin", "admin", "--password-file", str(tmp_path / "nope.txt")])
    assert_one_line_error(result, "nope.txt")


def test_duplicate_username_is_one_line_exit_2(app, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pw = password_file(tmp_path, "admin-pass-2025")
    assert runner.invoke(args=["users", "create-admin", "admin", "--password-file", pw]).exit_code == 0
    result = runner.invoke(args=["users", "create-auditor", "Admin", "--name", "审计"])
    assert_one_line_error(result, "已存在")
    with app.app_context():
        assert db.session.execute(select(User)).scalars().all()[0].kind == KIND_ADMIN
        assert len(db.session.execute(select(User)).all()) == 1


def test_auditor_then_activation_link_then_list(app, runner) -> None:  # type: ignore[no-untyped-def]
    created = runner.invoke(args=["users", "create-auditor", "audit1", "--name", "审计员"])
    assert created.exit_code == 0, created.output
    auditor = account(app, "audit1")
    assert auditor is not None and auditor.kind == KIND_AUDITOR and auditor.password_hash is None

    result = runner.invoke(args=["users", "activation-link", "audit1", "--hours", "12"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:5000/activate/")
    client = app.test_client()
    path = link.removeprefix("http://127.0.0.1:5000")
    done = client.post(path, data={"new_password": "auditor-pass-1", "confirm": "auditor-pass-1"})
    assert done.status_code == 302
    assert client.post("/login", data={"username": "audit1", "password": "auditor-pass-1"}).status_code == 302

    listed = runner.invoke(args=["users", "list", "--json"])
    assert listed.exit_code == 0
    [row] = json.loads(listed.stdout)
    assert row["username"] == "audit1" and row["kind"] == "auditor" and row["status"] == "active"
    with app.app_context():
        issued = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "auth.activation_issued")
        ).scalar_one()
        assert issued.actor == "cli" and issued.data["hours"] == 12


def test_set_initial_password_and_list_text(app, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        person = Person(source_id="P00027", name="王老师")
        db.session.add_all([person, User(username="P00027", display_name="王老师", kind=KIND_PERSON, person=person)])
        db.session.commit()
    before = runner.invoke(args=["users", "list"])
    assert before.exit_code == 0 and "P00027\tperson\tnot_activated\t王老师" in before.stdout
    result = runner.invoke(
        args=["users", "set-initial-password", "P00027", "--password-file", password_file(tmp_path, "given-pass-2025")]
    )
    assert result.exit_code == 0, result.output
    user = account(app, "P00027")
    assert (
        user is not None
        and user.must_change_password is True
        and verify_password(user.password_hash, "given-pass-2025")
    )
    after = runner.invoke(args=["users", "list", "--kind", "person"])
    assert "P00027\tperson\tmust_change_password\t王老师" in after.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["users", "activation-link", "ghost"],
        ["users", "activation-link", "ghost", "--hours", "5"],
    ],
)
def test_unknown_user_is_one_line_exit_2(runner, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert_one_line_error(runner.invoke(args=args), "ghost")


def test_bad_hours_and_bad_username_are_one_line_exit_2(runner) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["users", "create-auditor", "audit1", "--name", "审计员"]).exit_code == 0
    assert_one_line_error(runner.invoke(args=["users", "activation-link", "audit1", "--hours", "0"]), "1-720")
    assert_one_line_error(runner.invoke(args=["users", "create-auditor", "bad name", "--name", "x"]), "bad name")


def test_set_initial_password_requires_file(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "set-initial-password", "P00027"])
    assert result.exit_code == 2 and "--password-file" in result.output
