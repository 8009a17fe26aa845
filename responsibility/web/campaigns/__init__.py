"""Campaign pages: the bureau admin creates campaigns, generates agreements in the background
with a progress display, previews and issues them; a school's leaders open and download their
own school's agreements."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns", template_folder="../templates")

from . import routes  # noqa: E402,F401
