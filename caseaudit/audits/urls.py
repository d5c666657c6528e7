"""Audit pages. Mounted at the site root by caseaudit/config/urls.py."""

from django.urls import path

from caseaudit.audits.views import discussion, family, gaps, pages, sections, start, submit

app_name = "audits"
urlpatterns = [
    path("cases/<str:case_id>/audits/start/", start.audit_start_page, name="start"),
    path("audits/<int:audit_id>/", pages.audit_overview, name="overview"),
    path("audits/<int:audit_id>/preview/", pages.audit_preview, name="preview"),
    path("audits/<int:audit_id>/document/", pages.audit_document_download, name="document"),
    path("audits/<int:audit_id>/sections/<slug:section_ref>/", sections.audit_section_page, name="section"),
    path("audits/<int:audit_id>/check/", submit.audit_check_page, name="check"),
    path("audits/<int:audit_id>/submitted/", submit.audit_submitted_page, name="submitted"),
    path("audits/<int:audit_id>/gaps/new/", gaps.compliance_gap_flag_page, name="gap-flag"),
    path(
        "audits/<int:audit_id>/gaps/<int:gap_id>/address/",
        gaps.compliance_gap_address_page,
        name="gap-address",
    ),
    path("audits/<int:audit_id>/discussion/", discussion.discussion_page, name="discussion"),
    path("audits/<int:audit_id>/family-feedback/", family.family_feedback_page, name="family-feedback"),
    path(
        "audits/<int:audit_id>/family-feedback/<int:number>/",
        family.family_person_page,
        name="family-feedback-person",
    ),
]
