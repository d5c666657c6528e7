"""Access requests to restricted records (SEL-6) and the audit discussion (SEL-7). Mounted at the
site root by caseaudit/config/urls.py."""

from django.urls import path

from caseaudit.allocation import access_views

app_name = "access"
urlpatterns = [
    path("cases/<str:case_id>/access-request/", access_views.access_request_page, name="request"),
    path("access-requests/", access_views.access_request_list_page, name="list"),
    path("access-requests/<int:request_id>/", access_views.access_request_decide_page, name="decide"),
    path("audits/<int:audit_id>/discussion/", access_views.discussion_page, name="discussion"),
]
