from django.urls import path

from caseaudit.org import views

app_name = "org"
urlpatterns = [
    path("teams/", views.team_list_view, name="teams"),
    path("teams/<str:team_id>/", views.team_detail_view, name="team"),
    path("closure-days/", views.closure_days_view, name="closure_days"),
]
