from caseaudit.reports import views, views_themes

app_name = "reports"

urlpatterns = [*views.urlpatterns, *views_themes.urlpatterns]
