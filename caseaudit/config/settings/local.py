"""Development: `make run`. Embedded SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# Off by default, so `make run` shows what a council's staff see: a record one may not open is the
# plain "not found or no access" page, not Django's debug page listing every URL. Developers who
# want tracebacks run `DEBUG=true make run`.
DEBUG = env.bool("DEBUG", default=False)
INSTALLED_APPS = [*INSTALLED_APPS, "caseaudit.demo"]

# Static files come straight from the finders (no collectstatic outside production).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
