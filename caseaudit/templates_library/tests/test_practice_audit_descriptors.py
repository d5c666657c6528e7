"""CONTRACTS §5: the practice audit template carries every descriptor of the second seed's three
tables, in its section and grade, in the seed's own words (cells that wrap joined)."""

from typing import Any

import pytest

from caseaudit.templates_library.documents import TemplateDocument
from caseaudit.templates_library.tests.seed_tables import (
    GRADE_HEADINGS,
    SECTION_LABELS,
    SEED_PATH,
    SHARED_SEED_PATH,
    SeedDescriptors,
    seed_descriptors,
)


@pytest.fixture(scope="module")
def seed() -> SeedDescriptors:
    if not SEED_PATH.is_file():
        pytest.skip(f"the second seed is not at {SEED_PATH}: cannot compare the descriptors with it")
    return seed_descriptors(SEED_PATH.read_text(encoding="utf-8"))


def _template_descriptors(document: TemplateDocument) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (section["ref"], grade): descriptor_set
        for section in document.data["sections"]
        for grade, descriptor_set in section.get("descriptors", {}).items()
    }


def test_the_seed_has_all_three_tables_for_all_six_sections(seed: SeedDescriptors) -> None:
    assert set(seed) == {
        (section, grade) for section in SECTION_LABELS.values() for grade in GRADE_HEADINGS.values()
    }
    # 37 Good, 33 Requires Improvement and 38 Inadequate cells.
    assert sum(len(cells) for cells in seed.values()) == 108


def test_wrapped_cells_are_joined(seed: SeedDescriptors) -> None:
    assert (
        "The plan shows evidence of a good understanding of the child's needs and how these will be met "
        "within clear timescales. The plan clearly outlines the day to day actions that parents and carers "
        "will undertake to ensure the child's safety and wellbeing (and is not a list of services to attend)."
    ) in seed[("planning", "good")]
    assert (
        "MOSAIC recording is out of date, unfocussed and does not provide sufficiently clear information to "
        "support decision making."
    ) in seed[("basic_information", "inadequate")]


def test_every_seed_descriptor_is_in_its_section_and_grade(
    seed: SeedDescriptors, documents: dict[str, TemplateDocument]
) -> None:
    template = _template_descriptors(documents["practice_audit"])
    missing = [
        f"{section} / {grade}: {cell}"
        for (section, grade), cells in seed.items()
        for cell in cells
        if cell not in template.get((section, grade), {}).get("items", [])
    ]
    assert missing == []


def test_the_seed_descriptors_are_exactly_the_seeds_in_its_order(
    seed: SeedDescriptors, documents: dict[str, TemplateDocument]
) -> None:
    template = _template_descriptors(documents["practice_audit"])
    assert {key: value["items"] for key, value in template.items() if value["source"] == "seed"} == seed


def test_the_practice_audit_uses_the_seeds_three_grades(documents: dict[str, TemplateDocument]) -> None:
    data = documents["practice_audit"].data
    assert [grade["token"] for grade in data["grade_scale"]] == ["good", "requires_improvement", "inadequate"]
    assert [section["title"] for section in data["sections"]][:6] == list(SECTION_LABELS)
    assert data["review_window_months"] == 12


def test_the_copied_seed_matches_shared() -> None:
    if not SHARED_SEED_PATH.is_file():
        pytest.skip(f"shared/ is not beside this checkout ({SHARED_SEED_PATH})")
    assert SEED_PATH.read_bytes() == SHARED_SEED_PATH.read_bytes()
