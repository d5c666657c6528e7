"""A calendar invite writer (RFC 5545, with RFC 5546's METHOD) for the audit discussion (SEL-7).

Pure functions, no I/O: CRLF line endings, content lines folded at 75 octets without splitting a
UTF-8 character, TEXT values escaped (backslash, semicolon, comma, newline), DTSTAMP in UTC,
DTSTART/DTEND as Europe/London local time with that zone's VTIMEZONE, so Outlook, Google and Apple
calendars place the meeting right on either side of a clock change (CONTRACTS §7)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

CRLF = "\r\n"
MAX_OCTETS = 75
TZID = "Europe/London"
LONDON = ZoneInfo(TZID)
PRODID = "-//caseaudit//Audit discussion//EN"

# Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
# last Sunday of October (local 01:00 GMT -> 02:00 BST, and 02:00 BST -> 01:00 GMT).
VTIMEZONE_LONDON = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    role: str = "REQ-PARTICIPANT"  # CHAIR, REQ-PARTICIPANT, OPT-PARTICIPANT
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True


@dataclass(frozen=True)
class Meeting:
    """One meeting as an invite. `uid` stays the same for the life of the meeting; `sequence` is
    raised on every change, so calendars replace the earlier version (RFC 5546 §2.1.4)."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    organizer: Attendee
    attendees: tuple[Attendee, ...]
    stamp: datetime
    description: str = ""
    location: str = ""
    cancelled: bool = False

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at", "stamp"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime")
        if self.ends_at <= self.starts_at:
            raise ValueError("the meeting must end after it starts")

    @property
    def method(self) -> str:
        return "CANCEL" if self.cancelled else "REQUEST"


def _printable(ch: str) -> bool:
    return ord(ch) >= 0x20 and ord(ch) != 0x7F


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every kind of line
    break as \\n, other control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or _printable(ch))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value, always quoted; a quoted-string may not hold DQUOTE or controls (§3.1)."""
    clean = "".join(ch for ch in value if ch != '"' and (ch == "\t" or _printable(ch)))
    return f'"{clean}"'


def fold(line: str) -> str:
    """One content line folded so that no physical line exceeds 75 octets (CRLF excluded); each
    continuation starts with a space, and a UTF-8 character is never split (§3.1)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > MAX_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += octets
    parts.append("".join(current))
    return CRLF.join(parts)


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def london_time(value: datetime) -> str:
    return value.astimezone(LONDON).strftime("%Y%m%dT%H%M%S")


def _person(name: str, attendee: Attendee, *, as_attendee: bool) -> str:
    params = [f"CN={param_value(attendee.name)}"]
    if as_attendee:
        params += [
            "CUTYPE=INDIVIDUAL",
            f"ROLE={attendee.role}",
            f"PARTSTAT={attendee.partstat}",
            f"RSVP={'TRUE' if attendee.rsvp else 'FALSE'}",
        ]
    return f"{name};{';'.join(params)}:mailto:{attendee.email}"


def meeting_lines(meeting: Meeting) -> list[str]:
    """The unfolded content lines of the invite."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{meeting.method}",
        *VTIMEZONE_LONDON,
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{utc_stamp(meeting.stamp)}",
        f"DTSTART;TZID={TZID}:{london_time(meeting.starts_at)}",
        f"DTEND;TZID={TZID}:{london_time(meeting.ends_at)}",
        f"SUMMARY:{escape_text(meeting.summary)}",
    ]
    if meeting.description:
        lines.append(f"DESCRIPTION:{escape_text(meeting.description)}")
    if meeting.location:
        lines.append(f"LOCATION:{escape_text(meeting.location)}")
    lines.append(_person("ORGANIZER", meeting.organizer, as_attendee=False))
    lines.extend(_person("ATTENDEE", attendee, as_attendee=True) for attendee in meeting.attendees)
    lines += [
        f"STATUS:{'CANCELLED' if meeting.cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "CLASS:PRIVATE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return lines


def meeting_ics(meeting: Meeting) -> str:
    """The invite as an iCalendar object: folded lines, each ended by CRLF."""
    return "".join(fold(line) + CRLF for line in meeting_lines(meeting))


def ics_mimetype(meeting: Meeting) -> str:
    return f"text/calendar; method={meeting.method}"
