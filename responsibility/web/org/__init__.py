"""The organisation pages: the home page per role and the county → town → school browser."""

from flask import Blueprint

bp = Blueprint("org", __name__, template_folder="../templates")

from . import routes, viewer  # noqa: E402,F401
