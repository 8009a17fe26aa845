"""Password hashing and policy (no app, no database)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from responsibility.accounts import passwords
from responsibility.accounts.passwords import check_policy, hash_password, needs_rehash, set_password, verify_password
from responsibility.errors import BadInput
from responsibility.models import User


def test_hash_is_argon2id_with_documented_parameters() -> None:
    digest = hash_password("correct horse battery")
    assert digest.startswith("$argon2id$v=19$")
    assert (
        f"m={passwords.ARGON2_MEMORY_COST_KIB},t={passwords.ARGON2_TIME_COST},p={passwords.ARGON2_PARALLELISM}"
        in digest
    )
    assert "correct horse battery" not in digest
    assert hash_password("correct horse battery") != digest  # salted


def test_verify_accepts_right_and_refuses_wrong() -> None:
    digest = hash_password("安全责任书2025春")
    assert verify_password(digest, "安全责任书2025春") is True
    assert verify_password(digest, "安全责任书2025秋") is False
    assert verify_password(digest, "") is False


@pytest.mark.parametrize(
    "garbage", [None, "", "not-a-hash", "$argon2id$v=19$m=1,t=1,p=1$AAAA$BBBB", "$2b$12$abc", "\x00"]
)
def test_verify_never_raises_on_missing_or_garbage_hash(garbage: str | None) -> None:
    assert verify_password(garbage, "whatever-password") is False


def test_needs_rehash_detects_other_parameters() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("some password here")
    assert needs_rehash(weak) is True
    assert needs_rehash(hash_password("some password here")) is False
    assert verify_password(weak, "some password here") is True  # old hashes still verify


def _chinese(message: object) -> str:
    """The zh_CN catalogue's rendering of a raised message (what the pages show)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    from responsibility.messages import Message

    assert isinstance(message, Message)
    po = Path(__file__).resolve().parents[3] / "responsibility/translations/zh_CN/LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        entry = read_po(handle, locale="zh_CN")[message.msgid]
    assert entry is not None and entry.string, message.msgid
    return str(entry.string) % dict(message.params) if message.params else str(entry.string)


@pytest.mark.parametrize(
    ("password", "english", "chinese"),
    [
        ("short", "at least 10 characters", "至少需要 10 个字符"),
        ("123456789012", "must not be all digits", "不能全是数字"),
        ("          ", "only spaces", "不能只有空格"),
        ("x" * 257, "must not exceed 256", "不能超过 256"),
    ],
)
def test_policy_refuses_with_a_catalogue_message(password: str, english: str, chinese: str) -> None:
    with pytest.raises(BadInput) as caught:
        check_policy(password)
    message = str(caught.value)
    assert english in message and "\n" not in message
    assert chinese in _chinese(caught.value.message)


def test_policy_accepts_ten_characters_and_respects_min_length_argument() -> None:
    check_policy("abcdefghi1")
    check_policy("校园安全责任重于泰山啊")  # ten Chinese characters count as ten
    with pytest.raises(BadInput, match="at least 16 characters") as caught:
        check_policy("abcdefghi1", min_length=16)
    assert "至少需要 16 个字符" in _chinese(caught.value.message)
    check_policy("abcd", min_length=4)


def test_policy_refuses_the_username_itself() -> None:
    with pytest.raises(BadInput, match="username") as caught:
        check_policy("Admin-Chen-01", username="admin-chen-01")
    assert "用户名" in _chinese(caught.value.message)


def test_set_password_hashes_sets_flag_and_cancels_activation() -> None:
    user = User(username="P00027", display_name="张三", activation_token_hash="ab" * 32)
    set_password(user, "a fine password", must_change=True)
    assert user.password_hash is not None and verify_password(user.password_hash, "a fine password")
    assert user.must_change_password is True
    assert user.activation_token_hash is None and user.activation_expires_at is None
    set_password(user, "another fine one", must_change=False)
    assert user.must_change_password is False
    assert not verify_password(user.password_hash, "a fine password")


def test_set_password_checks_policy_and_leaves_user_unchanged_on_refusal() -> None:
    user = User(username="P00028", display_name="李四", password_hash=None)
    with pytest.raises(BadInput):
        set_password(user, "1234567890", must_change=False)
    assert user.password_hash is None
