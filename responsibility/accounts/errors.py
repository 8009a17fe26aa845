"""Errors of the accounts package."""

from __future__ import annotations

from ..errors import DomainError

__all__ = ["LoginFailed"]


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
