"""Audit pages. Mounted at the site root by caseaudit/config/urls.py."""

from django.urls import path

from caseaudit.audits import gap_views, section_views, start_views, submit_views, views

app_name = "audits"
urlpatterns = [
    path("cases/<str:case_id>/audits/start/", start_views.audit_start_page, name="start"),
    path("audits/<int:audit_id>/", views.audit_overview, name="overview"),
    path("audits/<int:audit_id>/preview/", views.audit_preview, name="preview"),
    path("audits/<int:audit_id>/document/", views.audit_document_download, name="document"),
    path(
        "audits/<int:audit_id>/sections/<slug:section_ref>/", section_views.audit_section_page, name="section"
    ),
    path("audits/<int:audit_id>/check/", submit_views.audit_check_page, name="check"),
    path("audits/<int:audit_id>/submitted/", submit_views.audit_submitted_page, name="submitted"),
    path("audits/<int:audit_id>/gaps/new/", gap_views.compliance_gap_flag_page, name="gap-flag"),
    path(
        "audits/<int:audit_id>/gaps/<int:gap_id>/address/",
        gap_views.compliance_gap_address_page,
        name="gap-address",
    ),
]
