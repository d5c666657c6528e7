"""Reads the second seed's three "what ... looks like" tables (CONTRACTS §5).

The seed is text exported from a Word document: one line per table row, cells separated by
tabs, the first cell naming the section. A cell that wrapped onto a second line of the page
comes back as a further line whose first cell is empty; its cells sit in the same columns
as the row they continue and are joined to it with a space."""

import re
from pathlib import Path

SHARED_SEED_PATH = (
    Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "002_5960ca41824dc693.txt"
)
# A copy of the second seed (a public guide, no personal data) travels with the tests, so the
# descriptor check runs on any checkout; a test below keeps it identical to shared/'s.
SEED_PATH = Path(__file__).resolve().parent / "data" / "practice_audit_seed_002.txt"

GRADE_HEADINGS = {
    "Good": "good",
    "Requires Improvement": "requires_improvement",
    "Inadequate": "inadequate",
}
SECTION_LABELS = {
    "Referral": "referral",
    "Basic Information": "basic_information",
    "Assessment": "assessment",
    "Planning": "planning",
    "Review": "review",
    "Management oversight": "management_oversight",
}
_HEADING = re.compile(r"^['‘](Good|Requires Improvement|Inadequate)['’] looks like")

# (section ref, grade token) -> the section's descriptor cells, in the seed's order.
SeedDescriptors = dict[tuple[str, str], list[str]]


def seed_descriptors(text: str) -> SeedDescriptors:
    tables: SeedDescriptors = {}
    grade: str | None = None
    row: list[str] | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line.strip())
        if heading:
            grade, row = GRADE_HEADINGS[heading.group(1)], None
            continue
        if grade is None or "\t" not in line:
            continue
        cells = line.split("\t")
        label = cells[0].strip()
        if label:
            if label not in SECTION_LABELS:
                raise ValueError(f"unknown section label {label!r} in the seed's {grade} table")
            row = [cell.strip() for cell in cells[1:]]
            tables[(SECTION_LABELS[label], grade)] = row
        elif row is not None:
            for column, fragment in enumerate(cells[1:]):
                fragment = fragment.strip()
                if fragment:
                    row[column] = f"{row[column]} {fragment}".strip()
    return {key: [cell for cell in cells if cell] for key, cells in tables.items()}
