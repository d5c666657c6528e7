"""Allocation pages and the audit discussion, mounted at the site root (caseaudit/config/urls.py)."""

from django.urls import path

from caseaudit.allocation import change_views, discussion_views, my_audits_views, settings_views, views

app_name = "allocation"
urlpatterns = [
    path("allocation/", views.allocation_start_page, name="start"),
    path("allocation/settings/", settings_views.allocation_settings_page, name="settings"),
    path("allocation/runs/<int:run_id>/", views.allocation_run_page, name="run"),
    path("allocation/runs/<int:run_id>/passed-over/", views.allocation_passed_over_page, name="passed-over"),
    path(
        "allocation/runs/<int:run_id>/items/<int:item_id>/change/",
        change_views.allocation_change_page,
        name="change",
    ),
    path("allocation/runs/<int:run_id>/confirm/", views.allocation_confirm_page, name="confirm"),
    path("allocation/runs/<int:run_id>/confirmed/", views.allocation_confirmed_page, name="confirmed"),
    path("my-audits/", my_audits_views.my_audits_page, name="my-audits"),
    path("audits/<int:audit_id>/discussion/", discussion_views.discussion_page, name="discussion"),
]
