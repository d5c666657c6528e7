"""Access to restricted records (SEL-6). Mounted at the site root by caseaudit/config/urls.py."""

from django.urls import path

from caseaudit.access import views

app_name = "access"
urlpatterns = [
    path("cases/<str:case_id>/access-request/", views.access_request_page, name="request"),
    path("access-requests/", views.access_request_list_page, name="list"),
    path("access-requests/<int:request_id>/", views.access_request_decide_page, name="decide"),
]
