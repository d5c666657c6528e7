from django.http import HttpRequest, HttpResponse


def register_import_upload(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def register_import_history(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
