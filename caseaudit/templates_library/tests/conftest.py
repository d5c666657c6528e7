"""Specs of the shipped templates, read straight from audit_templates/ (no database)."""

from pathlib import Path

import pytest

from caseaudit.templates_library.documents import TemplateDocument, documents_read
from caseaudit.templates_library.spec import TemplateSpec, template_spec_from_document

TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "audit_templates"


def shipped_documents() -> dict[str, TemplateDocument]:
    return {document.ref: document for document in documents_read(TEMPLATES_DIR, stored_templates={})}


def shipped_spec(ref: str) -> TemplateSpec:
    return template_spec_from_document(shipped_documents()[ref].data, version=1)


@pytest.fixture(scope="session")
def documents() -> dict[str, TemplateDocument]:
    return shipped_documents()


@pytest.fixture(scope="session")
def stage1() -> TemplateSpec:
    return shipped_spec("stage1_good_practice")


@pytest.fixture(scope="session")
def practice() -> TemplateSpec:
    return shipped_spec("practice_audit")
