"""Fail the build if a view or the API touches `Model.objects` directly.

Every read of the register must go through a selector that is scoped to the person asking
(SEC-1); views and API routers call selectors and services only (STYLE.md)."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "caseaudit"
PATTERN = re.compile(r"\b[A-Z]\w*\.objects\b|\._default_manager\b")


def checked_files() -> list[Path]:
    files = [
        p
        for p in ROOT.rglob("*.py")
        # views.py, *_views.py, and every module of a views/ package
        if (p.name == "views.py" or p.name.endswith("_views.py") or "views" in p.parts)
        and "tests" not in p.parts
    ]
    files += [p for p in (ROOT / "api").rglob("*.py") if "tests" not in p.parts]
    return sorted(files)


def main() -> int:
    problems = []
    for path in checked_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PATTERN.search(line) and "# scoped-ok" not in line:
                problems.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    if problems:
        print("Views and the API must read through scoped selectors, not Model.objects:")
        print("\n".join(problems))
        return 1
    print(f"scoped queries: {len(checked_files())} view/API files checked, none touches Model.objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
