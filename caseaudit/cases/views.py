from django.http import HttpRequest, HttpResponse


def case_list_view(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def case_detail_view(request: HttpRequest, case_id: str) -> HttpResponse:
    raise NotImplementedError


def child_detail_view(request: HttpRequest, child_id: str) -> HttpResponse:
    raise NotImplementedError
