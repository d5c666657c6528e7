"""The cached component renderer produces exactly the library's markup."""

from typing import Any

import pytest
from govuk_frontend_django.components.button import GovUKButton
from govuk_frontend_django.components.pagination import GovUKPagination
from govuk_frontend_django.components.radios import GovUKRadios

from caseaudit.core.govuk import _original_render, cached_render

COMPONENTS: list[Any] = [
    GovUKButton(text="Save and continue"),
    GovUKRadios(
        name="grade",
        idPrefix="grade",
        fieldset={"legend": {"text": "Grade", "classes": None}},
        items=[
            {"value": "good", "text": "Good", "checked": True},
            {"value": "inadequate", "text": "Inadequate"},
        ],
        errorMessage={"text": "Choose a grade"},
    ),
    GovUKPagination(items=[{"number": "1", "href": "?page=1", "current": True}], next={"href": "?page=2"}),
]


@pytest.mark.parametrize("component", COMPONENTS)
def test_same_markup_as_the_library(component: Any) -> None:
    assert str(cached_render(component)) == str(_original_render(component))
