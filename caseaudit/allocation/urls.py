"""Allocation pages, mounted at the site root (caseaudit/config/urls.py)."""

from django.urls import path

from caseaudit.allocation.views import change, my_audits, runs, settings

app_name = "allocation"
urlpatterns = [
    path("allocation/", runs.allocation_start_page, name="start"),
    path("allocation/settings/", settings.allocation_settings_page, name="settings"),
    path("allocation/runs/<int:run_id>/", runs.allocation_run_page, name="run"),
    path("allocation/runs/<int:run_id>/passed-over/", runs.allocation_passed_over_page, name="passed-over"),
    path(
        "allocation/runs/<int:run_id>/items/<int:item_id>/change/",
        change.allocation_change_page,
        name="change",
    ),
    path("allocation/runs/<int:run_id>/confirm/", runs.allocation_confirm_page, name="confirm"),
    path("allocation/runs/<int:run_id>/confirmed/", runs.allocation_confirmed_page, name="confirmed"),
    path("my-audits/", my_audits.my_audits_page, name="my-audits"),
]
