from django.http import HttpRequest, HttpResponse


def team_list_view(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def team_detail_view(request: HttpRequest, team_id: str) -> HttpResponse:
    raise NotImplementedError
