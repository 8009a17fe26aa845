"""The chain page: who answered for a grid, building, school or person on a day, top to bottom,
with the agreement binding each link. Visible to whoever may see the subject's school (the
school page's rules); anyone else gets the same 404 as for an unknown subject."""

from flask import Blueprint

bp = Blueprint("chain", __name__, template_folder="../templates")

from . import notifications, routes  # noqa: E402,F401
