from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from caseaudit.core.home import home_profile, home_tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"profile": home_profile(user=request.user), "tasks": home_tasks(user=request.user)},
    )


def healthz(request: HttpRequest) -> HttpResponse:
    """For the council's load balancer: the app is up, its database answers, and the static
    files' manifest loads. In production every page looks its stylesheet up in that manifest,
    so without it (no `collectstatic`, or a failed one) every page would be a 500. With the
    plain storage of development and tests there is no manifest to check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "reason": "the database does not answer"}, status=503)
    try:
        staticfiles_storage.url("caseaudit/app.css")
    except (ValueError, OSError):
        return JsonResponse(
            {"status": "unavailable", "reason": "static files not collected: run collectstatic"},
            status=503,
        )
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "core/not_found.html", status=404)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "core/not_found.html", status=403)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """A request the server cannot read (a form upload cut off or without its boundary): a plain
    page saying so, not the bare "Bad Request (400)" text."""
    return render(request, "core/bad_request.html", status=400)
