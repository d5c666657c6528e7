from django.contrib import admin
from django.urls import include, path

from caseaudit.api.api import api

urlpatterns = [
    path("", include("caseaudit.core.urls")),
    path("accounts/", include("caseaudit.accounts.urls")),
    path("", include("caseaudit.cases.urls")),
    path("", include("caseaudit.audits.urls")),
    path("", include("caseaudit.allocation.urls")),
    path("", include("caseaudit.moderation.urls")),
    path("", include("caseaudit.actions.urls")),
    path("", include("caseaudit.reports.urls")),
    path("", include("caseaudit.access.urls")),
    path("organisation/", include("caseaudit.org.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "caseaudit.core.views.not_found"
handler403 = "caseaudit.core.views.forbidden"
handler400 = "caseaudit.core.views.bad_request"
