"""SEL-7, CONTRACTS §7: the calendar invite is valid RFC 5545 that Outlook imports. Read back by a
small parser written here, separately from the writer: unfold, split properties and parameters,
and check what a calendar needs."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseaudit.audits.ics import Attendee, Meeting, escape_text, fold, ics_mimetype, meeting_ics

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
AUDITOR = Attendee("Gita Manager", "gmb@example.test")
WORKER = Attendee("Sam Worker, Team A", "swa2@example.test")


def meeting(**changes: object) -> Meeting:
    values: dict[str, object] = {
        "uid": "3f1c2b8e-0000-4000-8000-000000000001@caseaudit",
        "sequence": 0,
        "starts_at": datetime.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON),
        "ends_at": datetime.datetime(2026, 12, 7, 11, 0, tzinfo=LONDON),
        "summary": "Audit discussion: case C-1",
        "organizer": AUDITOR,
        "attendees": (
            Attendee(AUDITOR.name, AUDITOR.email, role="CHAIR", partstat="ACCEPTED", rsvp=False),
            WORKER,
        ),
        "stamp": datetime.datetime(2026, 11, 20, 9, 15, 30, tzinfo=UTC),
        "description": "Stage 1 audit discussion of case C-1.",
        "location": "Team office, room 2",
    }
    values.update(changes)
    return Meeting(**values)


# --- an independent reader ---------------------------------------------------------------------

Property = tuple[str, dict[str, str], str]


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n"), "the object ends with CRLF"
    assert "\n" not in text.replace("\r\n", ""), "every line break is CRLF"
    return text.split("\r\n")[:-1]


def unfold(text: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def parse(line: str) -> Property:
    """NAME;PARAM=VALUE;PARAM="QUOTED":VALUE — a colon inside quotes is not the separator."""
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        raise AssertionError(f"no value separator in {line!r}")
    name, *raw_params = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    params = {}
    for raw in raw_params:
        key, _, val = raw.partition("=")
        params[key] = val[1:-1] if val.startswith('"') else val
    return name, params, value


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def components(properties: list[Property]) -> dict[str, list[list[Property]]]:
    """{component name: [its own properties, ...]}, nesting checked by BEGIN/END pairs."""
    found: dict[str, list[list[Property]]] = {}
    stack: list[tuple[str, list[Property]]] = []
    for name, params, value in properties:
        if name == "BEGIN":
            stack.append((value, []))
        elif name == "END":
            component, props = stack.pop()
            assert component == value, f"END:{value} closes BEGIN:{component}"
            found.setdefault(component, []).append(props)
        else:
            assert stack, f"{name} outside any component"
            stack[-1][1].append((name, params, value))
    assert not stack
    return found


def read(text: str) -> dict[str, list[list[Property]]]:
    for line in physical_lines(text):
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    return components([parse(line) for line in unfold(text)])


def one(props: list[Property], name: str) -> Property:
    matches = [p for p in props if p[0] == name]
    assert len(matches) == 1, f"{name}: {len(matches)} times"
    return matches[0]


# --- the invite --------------------------------------------------------------------------------


def test_a_request_has_what_a_calendar_needs() -> None:
    parsed = read(meeting_ics(meeting()))
    [calendar] = parsed["VCALENDAR"]
    assert one(calendar, "VERSION")[2] == "2.0" and one(calendar, "PRODID")[2]
    assert one(calendar, "METHOD")[2] == "REQUEST"
    [event] = parsed["VEVENT"]
    assert one(event, "UID")[2] == "3f1c2b8e-0000-4000-8000-000000000001@caseaudit"
    assert one(event, "SEQUENCE")[2] == "0"
    assert one(event, "DTSTAMP")[2] == "20261120T091530Z"
    assert one(event, "DTSTART")[1:] == ({"TZID": "Europe/London"}, "20261207T100000")
    assert one(event, "DTEND")[1:] == ({"TZID": "Europe/London"}, "20261207T110000")
    assert unescape(one(event, "LOCATION")[2]) == "Team office, room 2"
    assert one(event, "STATUS")[2] == "CONFIRMED"
    _, params, value = one(event, "ORGANIZER")
    assert (params["CN"], value) == ("Gita Manager", "mailto:gmb@example.test")
    attendees = {value: params for name, params, value in event if name == "ATTENDEE"}
    assert set(attendees) == {"mailto:gmb@example.test", "mailto:swa2@example.test"}
    worker = attendees["mailto:swa2@example.test"]
    assert worker == {
        "CN": "Sam Worker, Team A",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }
    assert attendees["mailto:gmb@example.test"]["ROLE"] == "CHAIR"


def test_the_london_time_zone_is_defined_with_both_rules() -> None:
    parsed = read(meeting_ics(meeting()))
    [zone] = parsed["VTIMEZONE"]
    assert one(zone, "TZID")[2] == "Europe/London"
    [summer] = parsed["DAYLIGHT"]
    [winter] = parsed["STANDARD"]
    assert (one(summer, "TZOFFSETFROM")[2], one(summer, "TZOFFSETTO")[2]) == ("+0000", "+0100")
    assert one(summer, "RRULE")[2] == "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    assert (one(winter, "TZOFFSETFROM")[2], one(winter, "TZOFFSETTO")[2]) == ("+0100", "+0000")
    assert one(winter, "RRULE")[2] == "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"


def test_summer_times_are_written_as_london_wall_clock_time() -> None:
    """10:00 BST is 09:00 UTC; the invite says 10:00 in Europe/London, DTSTAMP stays in UTC."""
    starts = datetime.datetime(2027, 7, 7, 9, 0, tzinfo=UTC)
    parsed = read(meeting_ics(meeting(starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90))))
    [event] = parsed["VEVENT"]
    assert one(event, "DTSTART")[2] == "20270707T100000"
    assert one(event, "DTEND")[2] == "20270707T113000"


def test_a_cancellation() -> None:
    text = meeting_ics(meeting(sequence=3, cancelled=True))
    parsed = read(text)
    assert one(parsed["VCALENDAR"][0], "METHOD")[2] == "CANCEL"
    [event] = parsed["VEVENT"]
    assert one(event, "STATUS")[2] == "CANCELLED" and one(event, "SEQUENCE")[2] == "3"
    assert one(event, "UID")[2].endswith("@caseaudit")
    assert ics_mimetype(meeting(cancelled=True)) == "text/calendar; method=CANCEL"
    assert ics_mimetype(meeting()) == "text/calendar; method=REQUEST"


def test_text_is_escaped_and_read_back_whole() -> None:
    description = 'Case C-1; agenda, notes\\shared\nJoin: https://meet.example/abc?x=1,2;y\r\nThanks "all"'
    parsed = read(meeting_ics(meeting(description=description, summary="A, B; C")))
    [event] = parsed["VEVENT"]
    raw = one(event, "DESCRIPTION")[2]
    assert "\\;" in raw and "\\," in raw and "\\\\" in raw and "\\n" in raw
    assert unescape(raw) == description.replace("\r\n", "\n")
    assert unescape(one(event, "SUMMARY")[2]) == "A, B; C"


def test_long_and_unicode_text_is_folded_at_75_octets_without_splitting_characters() -> None:
    description = "Discussion — “Zoë’s” team 👩‍👧 " * 20 + "é" * 80
    text = meeting_ics(meeting(description=description, location="Salle de réunion ü " * 10))
    lines = physical_lines(text)
    assert any(line.startswith(" ") for line in lines)
    for line in lines:
        assert len(line.encode("utf-8")) <= 75
    [event] = read(text)["VEVENT"]
    assert unescape(one(event, "DESCRIPTION")[2]) == description


def test_a_name_with_quotes_stays_a_valid_parameter() -> None:
    organizer = Attendee('Alex "AJ" Smith; QA', "aj@example.test")
    [event] = read(meeting_ics(meeting(organizer=organizer)))["VEVENT"]
    assert one(event, "ORGANIZER")[1]["CN"] == "Alex AJ Smith; QA"


def test_times_must_be_aware_and_in_order() -> None:
    with pytest.raises(ValueError, match="aware"):
        meeting(starts_at=datetime.datetime(2026, 12, 7, 10, 0))
    with pytest.raises(ValueError, match="end after"):
        meeting(ends_at=datetime.datetime(2026, 12, 7, 9, 0, tzinfo=LONDON))


def test_escape_text_drops_control_characters() -> None:
    assert escape_text("a\x00b\x07c\td") == "abc\td"


@given(st.text(min_size=0, max_size=400))
def test_folding_round_trips_any_text(text: str) -> None:
    line = "DESCRIPTION:" + text.replace("\r", "").replace("\n", "")
    folded = fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    assert re.sub(r"\r\n ", "", folded) == line
