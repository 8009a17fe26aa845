"""The one way views reach the instance's settings and loaded material (PKI, seal, store…)."""

from __future__ import annotations

from flask import current_app

from ..agreements.instance import InstanceContext
from ..instance import instance_of
from ..settings import Settings

__all__ = ["instance", "settings"]


def instance() -> InstanceContext:
    """The current app's instance context (built once in ``create_app``)."""
    return instance_of(current_app)


def settings() -> Settings:
    return instance().settings
