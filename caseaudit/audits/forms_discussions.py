"""The discussion page's form (SEL-7). It checks what a person typed, in GOV.UK's words; the rules
live in the services (services_discussions)."""

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from caseaudit.audits.services_discussions import MAX_DURATION, MAX_LOCATION, MIN_DURATION
from caseaudit.core.forms import DatePartsForm, date_from_parts

LONDON = ZoneInfo("Europe/London")
TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class MeetingForm(DatePartsForm):
    """What every meeting's form checks of its date (three boxes), 24-hour time (UK time) and place
    or link: the discussion's, the Stage 2 discussion's and the moderation panel's. `meeting` names
    it in the messages; `now` is set by the form's `__init__`; `starts_at` is the aware datetime."""

    meeting = "discussion"
    now: datetime.datetime

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on = self._date(data)
        start_time = self._time(data.get("time", ""))
        if starts_on is not None and start_time is not None:
            starts_at = datetime.datetime.combine(starts_on, start_time, tzinfo=LONDON)
            # A time that the spring clock change skips does not survive the round trip.
            round_trip = starts_at.astimezone(datetime.UTC).astimezone(LONDON)
            if round_trip.replace(tzinfo=None) != starts_at.replace(tzinfo=None):
                self.add_error("time", "That time does not exist on that day: the clocks go forward")
            elif starts_at <= self.now:
                self.add_error("day", f"The date and time of the {self.meeting} must be in the future")
            else:
                data["starts_at"] = starts_at
        if not data.get("location") and not data.get("online_link") and not self.has_error("online_link"):
            self.add_error("location", f"Enter the place of the {self.meeting}, or a link to join it online")
        return data

    def _date(self, data: dict[str, Any]) -> datetime.date | None:
        found, field, message = date_from_parts(data, f"the date of the {self.meeting}")
        if message:
            self.add_error(field, message)
        return found

    def _time(self, value: str) -> datetime.time | None:
        if not value.strip():
            self.add_error("time", "Enter the start time, like 14:30")
            return None
        match = TIME.match(value)
        if match is None:
            self.add_error("time", "Enter the start time on the 24-hour clock, like 14:30")
            return None
        return datetime.time(int(match.group(1)), int(match.group(2)))


def meeting_initial(
    *, starts_at: datetime.datetime | None, minutes: int, location: str, link: str, default_minutes: int = 60
) -> dict[str, Any]:
    """A meeting form's initial values from a meeting as stored (none: only the default length)."""
    if starts_at is None:
        return {"duration_minutes": default_minutes}
    starts = timezone.localtime(starts_at)
    return {
        "day": starts.day,
        "month": starts.month,
        "year": starts.year,
        "time": f"{starts:%H:%M}",
        "duration_minutes": minutes,
        "location": location,
        "online_link": link,
    }


class DiscussionForm(MeetingForm):
    """Date (three boxes, as GOV.UK asks), a 24-hour time, a duration, a place and/or a link. The
    date and time are UK time; `starts_at` is the aware datetime they make."""

    time = forms.CharField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 09:30 or 14:00",
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label="How long, in minutes",
        initial=60,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        error_messages={
            "required": "Enter how long the discussion lasts, in minutes",
            "invalid": "Enter the duration as a number of minutes, like 60",
            "min_value": f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes",
            "max_value": f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes",
        },
    )
    location = forms.CharField(
        label="Place (optional if you give an online link)",
        help_text="For example, the team office, meeting room 2",
        required=False,
        max_length=MAX_LOCATION,
        error_messages={"max_length": f"The place must be {MAX_LOCATION} characters or fewer"},
    )
    online_link = forms.URLField(
        label="Online link (optional if you give a place)",
        help_text="The link to join the call, starting https://",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the online link as a web address, like https://…"},
    )

    def __init__(self, *args: Any, now: datetime.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
