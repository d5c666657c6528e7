"""`python -m bench.traced_import PATH`: `manage.py import_register PATH --format json` under
tracemalloc. Its stdout is the command's; the last stderr line is the Python heap's peak.

Run separately from the timed import, because tracing slows Python down several times."""

import os
import sys
import tracemalloc

MARKER = "tracemalloc peak bytes:"


def main(path: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.config.settings.local")
    import django
    from django.core.management import call_command

    django.setup()
    code = 0
    tracemalloc.start()
    try:
        call_command("import_register", path, "--format", "json")
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sys.stdout.flush()
        print(f"{MARKER} {peak}", file=sys.stderr)
    return code


def peak_from(stderr: str) -> int | None:
    for line in reversed(stderr.splitlines()):
        if line.startswith(MARKER):
            return int(line.removeprefix(MARKER))
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
