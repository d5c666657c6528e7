"""The loader (TPL-1, STYLE: CISO Assistant): hashed files, idempotent, a changed file is a new
version, old versions untouched, nothing stored from an invalid directory."""

import shutil
from pathlib import Path

import pytest

from caseaudit.core.models import AuditEvent
from caseaudit.templates_library.documents import TemplateFilesInvalid
from caseaudit.templates_library.grading import section_grade_problems
from caseaudit.templates_library.loader import templates_load
from caseaudit.templates_library.models import (
    AuditType,
    GradeDescriptor,
    Question,
    Section,
    TemplateFile,
    TemplateVersion,
)
from caseaudit.templates_library.selectors import (
    audit_type_get,
    section_descriptors,
    template_sections,
    template_spec,
    template_version_current,
    template_version_get,
)
from caseaudit.templates_library.spec import Answer, template_spec_from_document
from caseaudit.templates_library.tests.conftest import TEMPLATES_DIR, shipped_documents

pytestmark = pytest.mark.django_db

TEMPLATE_REFS = ["family_feedback", "practice_audit", "stage1_good_practice", "stage2_moderation"]


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    copy = tmp_path / "audit_templates"
    shutil.copytree(TEMPLATES_DIR, copy, ignore=shutil.ignore_patterns("schema"))
    return copy


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _snapshot(version: TemplateVersion) -> list[tuple]:
    return [
        *TemplateVersion.objects.filter(pk=version.pk).values_list("ref", "version", "title", "grade_scale"),
        *Section.objects.filter(template=version)
        .order_by("order")
        .values_list("pk", "ref", "title", "guidance"),
        *Question.objects.filter(template=version).order_by("pk").values_list("pk", "ref", "text", "help"),
        *GradeDescriptor.objects.filter(section__template=version).order_by("pk").values_list("pk", "text"),
    ]


def test_first_load_stores_files_versions_and_rows(directory: Path) -> None:
    report = templates_load(directory=directory)
    assert [(o.ref, o.outcome, o.version) for o in report.files] == [
        *[(ref, "loaded", 1) for ref in TEMPLATE_REFS],
        ("audit_types", "loaded", 1),
    ]
    stage1 = template_version_current(ref="stage1_good_practice")
    assert stage1 is not None and stage1.version == 1 and stage1.version_label == "2020-11-19"
    assert str(stage1.approved_date) == "2020-07-24" and str(stage1.next_review_date) == "2022-10-01"
    assert stage1.approving_body == "Policy & Practice Steering Group"
    assert stage1.file.raw_text == (directory / "stage1_good_practice.yaml").read_text()
    assert len(stage1.file.sha256) == 64
    assert [s.ref for s in template_sections(template_version=stage1)][:2] == ["assessment", "planning"]
    question = Question.objects.get(template=stage1, ref="intervention.child_seen_alone")
    assert (question.limiting, question.limits, question.na_requires_reason) == (True, ["intervention"], True)
    practice = template_version_current(ref="practice_audit")
    assert practice is not None and practice.approving_body == "" and practice.approved_date is None
    assert GradeDescriptor.objects.filter(section__template=practice, source="seed").count() == 108
    assert audit_type_get(token="thematic").template_ref == "practice_audit"
    assert AuditType.objects.count() == 5
    events = AuditEvent.objects.filter(action="template.version_loaded")
    assert sorted(events.values_list("object_ref", flat=True)) == [f"{ref}@1" for ref in TEMPLATE_REFS]


def test_loading_again_changes_nothing(directory: Path) -> None:
    templates_load(directory=directory)
    counts = (TemplateFile.objects.count(), Question.objects.count(), AuditEvent.objects.count())
    report = templates_load(directory=directory)
    assert {o.outcome for o in report.files} == {"unchanged"}
    assert report.lines()[-1] == "Nothing new: every template is already loaded."
    assert (TemplateFile.objects.count(), Question.objects.count(), AuditEvent.objects.count()) == counts


def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_untouched(directory: Path) -> None:
    templates_load(directory=directory)
    first = TemplateVersion.objects.get(ref="stage1_good_practice", version=1)
    before = _snapshot(first)
    _edit(directory, "stage1_good_practice.yaml", "text: Is the plan SMART", "text: Is the plan S.M.A.R.T.")

    report = templates_load(directory=directory)

    outcomes = {o.ref: (o.outcome, o.version) for o in report.files}
    assert outcomes["stage1_good_practice"] == ("loaded", 2)
    assert outcomes["practice_audit"] == ("unchanged", 1)
    first.refresh_from_db()
    assert first.is_current is False
    assert _snapshot(first) == before
    second = template_version_current(ref="stage1_good_practice")
    assert second is not None and second.version == 2 and second.pk != first.pk
    assert Question.objects.get(template=second, ref="planning.smart").text.startswith(
        "Is the plan S.M.A.R.T."
    )
    assert Question.objects.get(template=first, ref="planning.smart").text.startswith("Is the plan SMART")
    assert template_version_get(ref="stage1_good_practice", version=1) == first
    event = AuditEvent.objects.get(action="template.version_loaded", object_ref="stage1_good_practice@2")
    assert event.changes["previous_version"] == 1


def test_an_earlier_file_coming_back_makes_its_version_current_again(directory: Path) -> None:
    templates_load(directory=directory)
    original = (directory / "practice_audit.yaml").read_text()
    _edit(directory, "practice_audit.yaml", 'version: "1"', 'version: "2"')
    templates_load(directory=directory)
    (directory / "practice_audit.yaml").write_text(original)
    report = templates_load(directory=directory)
    assert {o.ref: o.outcome for o in report.files}["practice_audit"] == "reinstated"
    assert template_version_current(ref="practice_audit").version == 1
    assert TemplateFile.objects.filter(ref="practice_audit").count() == 2
    assert AuditEvent.objects.filter(action="template.reinstated", object_ref="practice_audit@1").exists()


def test_an_invalid_file_stops_everything_and_names_file_and_path(directory: Path) -> None:
    _edit(
        directory,
        "practice_audit.yaml",
        "        text: Is there evidence that the child is being visited?\n        answer_type: yes_no_na",
        "        text: Is there evidence that the child is being visited?\n        answer_type: yes_no",
    )
    with pytest.raises(TemplateFilesInvalid) as caught:
        templates_load(directory=directory)
    [problem] = caught.value.problems
    assert problem.filename == "practice_audit.yaml"
    assert problem.path == "$.sections[3].questions[10].answer_type"
    assert str(problem).startswith(
        "practice_audit.yaml: $.sections[3].questions[10].answer_type: 'yes_no' is not one of"
    )
    assert (
        TemplateFile.objects.count() == 0
        and AuditType.objects.count() == 0
        and AuditEvent.objects.count() == 0
    )


def test_an_invalid_change_leaves_the_loaded_versions_as_they_were(directory: Path) -> None:
    templates_load(directory=directory)
    _edit(directory, "stage1_good_practice.yaml", "title: Planning\n", "title: Planning and more\n")
    _edit(
        directory, "practice_audit.yaml", "limiting_ceiling: requires_improvement", "limiting_ceiling: good"
    )
    with pytest.raises(TemplateFilesInvalid) as caught:
        templates_load(directory=directory)
    assert [str(p) for p in caught.value.problems] == [
        "practice_audit.yaml: $.limiting_ceiling: "
        "must not be the best grade, or limiting judgements limit nothing"
    ]
    assert TemplateVersion.objects.filter(ref="stage1_good_practice").count() == 1


def test_audit_types_change_in_place_only_when_their_file_changes(directory: Path) -> None:
    templates_load(directory=directory)
    AuditType.objects.filter(token="dip_sample").update(review_window_months=3)  # an administrator's edit
    templates_load(directory=directory)
    assert audit_type_get(token="dip_sample").review_window_months == 3

    _edit(
        directory,
        "audit_types.yaml",
        "review_window_months: 12\n    fields:\n      - ref: line_of_enquiry",
        "review_window_months: 9\n    fields:\n      - ref: line_of_enquiry",
    )
    report = templates_load(directory=directory)
    assert report.audit_types == {"dip_sample": "updated"}
    assert audit_type_get(token="dip_sample").review_window_months == 9
    assert AuditEvent.objects.filter(action="audit_type.updated", object_ref="dip_sample").count() == 1


def test_spec_from_the_database_equals_spec_from_the_file(directory: Path) -> None:
    templates_load(directory=directory)
    for ref in TEMPLATE_REFS:
        version = template_version_current(ref=ref)
        assert version is not None
        assert template_spec(template_version=version) == template_spec_from_document(
            shipped_documents()[ref].data, version=1
        )


def test_grading_works_on_a_loaded_version(directory: Path) -> None:
    templates_load(directory=directory)
    spec = template_spec(template_version=template_version_current(ref="practice_audit"))
    problems = section_grade_problems(spec, "assessment", "good", {"assessment.child_seen": Answer("no")})
    assert problems[0].message == (
        "You cannot grade Assessment as Good: 'Was the child seen during the assessment?' is No"
    )


def test_descriptors_are_shown_by_grade_best_first(directory: Path) -> None:
    templates_load(directory=directory)
    stage1 = template_version_current(ref="stage1_good_practice")
    assessment = template_sections(template_version=stage1)[0]
    shown = section_descriptors(section=assessment, grade_scale=stage1.grade_scale)
    assert [label for label, _ in shown] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert shown[1][1][0].startswith("A 'Good' assessment will investigate and consider")
