"""The council's structure: authority, areas, teams, staff and who line-manages whom."""

from django.conf import settings
from django.db import models

from caseaudit.accounts.roles import Role


class Authority(models.Model):
    """The council itself. There is one row."""

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    name = models.CharField(max_length=200)
    nation = models.CharField(
        max_length=20,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Picks the bank-holiday calendar used for working days.",
    )

    class Meta:
        verbose_name_plural = "authority"

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A day the council is closed (the days between Christmas and New Year, say): not a working
    day for any deadline, beside the weekends and the nation's bank holidays (core.calendar)."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100, help_text="Why the council is closed, e.g. Christmas closure.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}"


class GeographicalArea(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    team_id = models.CharField("team ID", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    geographical_area = models.ForeignKey(GeographicalArea, on_delete=models.PROTECT, related_name="teams")
    eligible_for_audit = models.BooleanField(
        "eligible for monthly audit", default=False, help_text="SEL-2: cases of this team may be picked."
    )
    in_latest_import = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    staff_id = models.CharField("staff ID", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    job_role = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="direct_reports"
    )
    geographical_area = models.ForeignKey(
        GeographicalArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Only where it differs from the team's area, or for staff outside a team.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    is_active = models.BooleanField(default=True)
    in_latest_import = models.BooleanField(default=True)
    # Issue 15: only people a register import created are deactivated when they leave the
    # export; people added by hand (admin) are never deactivated by an import.
    created_by_import = models.BooleanField(
        default=False,
        help_text="Created by a register import: deactivated when a later staff import leaves them out.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name


class StaffRole(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="unique_staff_role")]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_role_display()}"


class LineManagementLink(models.Model):
    """Closure of the line-management tree: `manager` is anywhere above `report`
    (depth 1 = direct line manager). Rebuilt whenever line management changes, so
    "who is above X" and "who is below X" are one indexed query each (SEL-3)."""

    manager = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="report_links")
    report = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="manager_links")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["manager", "report"], name="unique_line_link")]

    def __str__(self) -> str:
        return f"{self.manager_id} above {self.report_id} ({self.depth})"
