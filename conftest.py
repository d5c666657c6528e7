import os

# Playwright's sync API runs an event loop; live_server's ORM calls must be allowed beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
