from django.urls import path

from caseaudit.cases import import_views, views

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list_view, name="list"),
    path("cases/<str:case_id>/", views.case_detail_view, name="case"),
    path("children/<str:child_id>/", views.child_detail_view, name="child"),
    path("register/import/", import_views.register_import_upload, name="import"),
    path("register/imports/", import_views.register_import_history, name="import-history"),
]
