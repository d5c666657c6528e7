from caseaudit.reports import views, views_quarterly, views_subject_access, views_themes

app_name = "reports"

urlpatterns = [
    *views.urlpatterns,
    *views_themes.urlpatterns,
    *views_quarterly.urlpatterns,
    *views_subject_access.urlpatterns,
]
