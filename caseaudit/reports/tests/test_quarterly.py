"""The QA quarterly report (QA-3, CONTRACTS §11) on generated data: every figure in the spreadsheet
and in the laid-out PDF equals the API's for the same quarter; the page's one click and
`quarterly_report --quarter` make the same documents; QA write "what we will do next" (with
history), senior managers read and download, nobody else; downloads are logged."""

import datetime
import io
import re
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog, AuditEvent
from caseaudit.moderation.sampling import Quarter
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory
from caseaudit.reports.quarterly import quarterly_data
from caseaudit.reports.quarterly_documents import quarterly_html, quarterly_xlsx
from caseaudit.reports.tests.generated import generate

pytestmark = pytest.mark.django_db

QUARTER = Quarter(2026, 4)
QUERY = {"period": "2026Q4"}


@pytest.fixture
def loaded(authority: Authority) -> Authority:
    templates_load()
    authority.people["senior_manager"] = cast(
        Staff, StaffFactory(staff_id="SMT", team=None, roles=["senior_manager"])
    )
    generate(authority, seed=8, count=70)
    return authority


def _api(authority: Authority) -> dict[str, Any]:
    client = Client()
    client.force_login(user_for(authority, "qa_officer"))
    return cast(
        dict[str, Any], client.get("/api/reports/summary", {"from": "2026-10-01", "to": "2026-12-31"}).json()
    )


def _sheet(workbook: Any, name: str) -> dict[str, list[Any]]:
    """{first cell: the rest} of a sheet's rows below its title and headers."""
    rows = list(workbook[name].iter_rows(min_row=3, values_only=True))
    return {str(row[0]): list(row[1:]) for row in rows if row and row[0] is not None}


def test_the_spreadsheet_holds_the_apis_figures(loaded: Authority) -> None:
    api = _api(loaded)
    data = quarterly_data(quarter=QUARTER, today=timezone.localdate())
    workbook = load_workbook(io.BytesIO(quarterly_xlsx(data)))
    assert workbook.sheetnames[0] == "Report" and "Overall grades" in workbook.sheetnames
    overall = _sheet(workbook, "Overall grades")
    for token, label in (("outstanding", "Outstanding"), ("good", "Good"), ("inadequate", "Inadequate")):
        assert overall[label][1] == api["overall_grades"][token]  # effective
    limiting = _sheet(workbook, "Limiting judgements")
    assert limiting["Child seen"] == [api["limiting"]["child_seen"][v] for v in ("yes", "no", "na")]
    timeliness = _sheet(workbook, "Timeliness")
    assert timeliness["Stage 1 submitted"] == [
        api["timeliness"]["stage1_on_time"],
        api["timeliness"]["stage1_late"],
    ]
    assert timeliness["Stage 2 completed"] == [
        api["timeliness"]["stage2_on_time"],
        api["timeliness"]["stage2_late"],
    ]
    actions = _sheet(workbook, "Actions")
    assert actions["Overdue"] == [api["actions"]["overdue"]] and actions["Signed off"] == [
        api["actions"]["signed_off"]
    ]
    assert actions["Completed on time"] == [api["actions"]["completed_on_time"]]
    escalations = _sheet(workbook, "Escalations")
    assert escalations["Open"] == [api["escalations"]["open"]] and escalations["Closed"] == [
        api["escalations"]["closed"]
    ]
    moderation = _sheet(workbook, "Moderation")
    assert moderation["Moderated at Stage 2"] == [api["moderation"]["moderated"]]
    summary = _sheet(workbook, "Summary")
    assert summary["Audits"] == [str(api["audits"])]
    trend = _sheet(workbook, "Last four quarters")
    assert trend["2026 Q4"][0] == api["audits"]


def _pdf_text(html: str) -> str:
    """The text of the laid-out document, box by box, as WeasyPrint puts it on the pages."""
    from weasyprint import HTML

    from caseaudit.audits.documents import BASE_URL, static_files_fetcher

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_fetcher()).render()
    words: list[str] = []

    def walk(box: Any) -> None:
        if getattr(box, "text", None):
            words.append(box.text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    assert len(document.pages) >= 3
    return " ".join(words)


def test_the_pdf_holds_the_apis_figures(loaded: Authority) -> None:
    api = _api(loaded)
    data = quarterly_data(quarter=QUARTER, today=timezone.localdate())
    text = _pdf_text(quarterly_html(data))
    assert "Quality assurance quarterly report" in text and "October to December 2026" in text
    rows = {
        "Open": api["actions"]["open"],
        "Signed off": api["actions"]["signed_off"],
        "Completed on time": api["actions"]["completed_on_time"],
        "Moderated at Stage 2": api["moderation"]["moderated"],
    }
    for label, number in rows.items():
        assert re.search(rf"{re.escape(label)} {number}\b", text), (label, number)
    seen = api["limiting"]["child_seen"]
    assert re.search(rf"Child seen {seen['yes']} {seen['no']} {seen['na']}\b", text)
    assert re.search(rf"{api['audits']} Audits", text)  # the headline


def test_the_command_writes_the_pages_documents(loaded: Authority, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("quarterly_report", "--quarter", "2026Q4", "--out", str(tmp_path / "q4"), stdout=out)
    pdf = (tmp_path / "q4" / "report.pdf").read_bytes()
    xlsx = (tmp_path / "q4" / "report.xlsx").read_bytes()
    assert pdf.startswith(b"%PDF") and xlsx.startswith(b"PK")
    assert f"{_api(loaded)['audits']} audits" in out.getvalue()
    client = Client()
    client.force_login(user_for(loaded, "qa_officer"))
    download = client.get("/reports/quarterly/2026Q4/report.xlsx")
    assert download["Content-Disposition"] == 'attachment; filename="quarterly-report-2026-Q4.xlsx"'
    ours = _sheet(load_workbook(io.BytesIO(download.content)), "Overall grades")
    assert ours == _sheet(load_workbook(io.BytesIO(xlsx)), "Overall grades")
    assert AccessLog.objects.filter(object_type="quarterly_report", action="download").count() == 1
    assert AuditEvent.objects.filter(action="quarterly_report.written").count() == 1


def test_the_children_audited_again_and_their_grades(loaded: Authority) -> None:
    data = quarterly_data(quarter=QUARTER, today=timezone.localdate())
    sheet = data.sheet("Re-audited children")
    # the generated audits are of three cases (three children), each audited many times: each
    # child audited in Q4 with an earlier final audit is listed once
    assert sheet.rows and {row[5] for row in sheet.rows} <= {"Better", "The same", "Worse"}
    assert all(row[1] < "2026-10-01" <= row[3] for row in sheet.rows)
    cases = [row[0] for row in sheet.rows]
    assert "C-RESTRICTED" not in cases  # the report lists cases: never a restricted one
    assert len(cases) == len(set(cases))  # a child audited twice this quarter counts once


@pytest.mark.parametrize(
    ("who", "view", "write"),
    [
        ("qa_officer", 200, 302),
        ("head_of_qa", 200, 302),
        ("senior_manager", 200, 403),
        ("superuser", 200, 302),
        ("head_of_service", 404, 404),
        ("practice_manager", 404, 404),
        ("social_worker", 404, 404),
        ("administrator", 404, 404),
    ],
)
def test_who_may_read_and_write_the_report(loaded: Authority, who: str, view: int, write: int) -> None:
    client = Client()
    client.force_login(user_for(loaded, who))
    assert client.get("/reports/quarterly/", QUERY).status_code == view
    assert client.get("/reports/quarterly/2026Q4/report.pdf").status_code == view
    posted = client.post("/reports/quarterly/", {**QUERY, "next_steps": "Practice week on recording."})
    assert posted.status_code == write


def test_what_we_will_do_next_is_saved_with_history_and_printed(loaded: Authority) -> None:
    client = Client()
    client.force_login(user_for(loaded, "qa_officer"))
    client.post(
        "/reports/quarterly/",
        {**QUERY, "next_steps": "A practice week on recording.\nPartners at core groups."},
    )
    event = AuditEvent.objects.get(action="quarterly_report.next_steps_saved")
    assert event.object_ref == "2026-Q4"
    data = quarterly_data(quarter=QUARTER, today=datetime.date(2027, 1, 5))
    assert "Partners at core groups." in quarterly_html(data)
    long = client.post("/reports/quarterly/", {**QUERY, "next_steps": "x" * 10_001})
    assert long.status_code == 200 and "at most 10,000 characters" in long.content.decode()
