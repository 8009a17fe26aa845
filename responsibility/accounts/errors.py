"""Errors of the accounts package."""

from __future__ import annotations

import datetime as dt

from ..errors import DomainError

__all__ = ["LoginFailed", "PersonOutOfService"]


class LoginFailed(DomainError):
    """Username or password wrong, or the account cannot log in (not activated, disabled).

    ``str(err)`` is deliberately the same for every cause, so the login page never tells a
    stranger which accounts exist; ``reason`` (for the audit log only) says which it was:
    ``unknown_user``, ``wrong_password``, ``not_activated``, ``disabled`` or ``person_inactive``.
    """

    http_status = 401

    def __init__(self, reason: str) -> None:
        super().__init__("用户名或密码错误。 (Wrong username or password.)")
        self.reason = reason


class PersonOutOfService(LoginFailed):
    """The password was right, but the account's person is not in service today: they have left
    (``left_on``, possibly :data:`~responsibility.models.LEFT_UNDATED`) or not joined yet.

    Raised only after the password matched, so saying why reveals nothing to a stranger; the
    login page then tells the person clearly instead of "wrong password". ``reason`` stays
    ``person_inactive`` for the audit log.
    """

    def __init__(self, *, left_on: dt.date | None, joined_on: dt.date | None) -> None:
        super().__init__("person_inactive")
        self.left_on = left_on
        self.joined_on = joined_on
        self.args = (
            "该账户的人员已离岗或尚未入职，不能登录。 (This person is not in service: the account cannot sign in.)",
        )
