"""`manage.py load_templates`: what it prints and its exit status."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from caseaudit.templates_library.models import TemplateVersion

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("load_templates", *args, stdout=out)
    return out.getvalue()


def test_loads_the_shipped_templates_then_says_nothing_is_new() -> None:
    first = _run()
    assert "stage1_good_practice.yaml (stage1_good_practice): loaded as version 1" in first
    assert "audit type thematic: created" in first
    assert "Templates loaded." in first
    assert TemplateVersion.objects.filter(is_current=True).count() == 4
    second = _run()
    assert "unchanged, still version 1" in second
    assert "Nothing new: every template is already loaded." in second


def test_invalid_file_exits_1_listing_the_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("ref: broken\nversion: '1'\n")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_templates", "--dir", str(tmp_path), stderr=err)
    assert caught.value.returncode == 1
    assert str(caught.value).startswith("Nothing loaded: ")
    assert "broken.yaml: $: 'kind' is a required property" in err.getvalue()
    assert not TemplateVersion.objects.exists()


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("load_templates", "--dir", str(tmp_path / "nowhere"))
    assert caught.value.returncode == 2
