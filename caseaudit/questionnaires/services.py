"""Writes of responses. These run inside the owner's transaction (an audit's save, say), which
also writes the owner's audit-history row: the owner knows what the response is for, who may
change it and when it is read-only; the engine knows the template and the version counter."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from caseaudit.questionnaires.errors import StaleVersion, VersionRequired
from caseaudit.questionnaires.models import Response, ResponseSection
from caseaudit.questionnaires.selectors import changes_since
from caseaudit.templates_library.models import TemplateVersion

# The response's own fields that a save may change; re-read under a lock before every write.
RESPONSE_FIELDS = ["version", "saved_by_client", "overall_grade", "overall_override_reason", "updated_at"]
# Who saved, for a caller that names no client (the command line, a service on someone's behalf).
UNNAMED_CLIENT = "unnamed"


@dataclass(frozen=True)
class SaveLog:
    """Where the owner records the saves of its response in the audit log (core.AuditEvent), each
    with the version it raised, {"version": [old, new]}: so a stale save can be told what changed."""

    object_type: str
    object_ref: str
    action: str


def response_create(*, template_version: TemplateVersion, section_refs: Iterable[str] = ()) -> Response:
    """A new, empty response to `template_version`, with a row for each of `section_refs`."""
    now = timezone.now()
    response = Response.objects.create(template_version=template_version, created_at=now, updated_at=now)
    ResponseSection.objects.bulk_create(
        [ResponseSection(response=response, section_ref=ref) for ref in section_refs]
    )
    return response


def response_lock(*, response: Response, version: int | None, client: str | None, log: SaveLog) -> None:
    """Re-read the response under a row lock (two saves wait for each other), then refuse a stale
    version, or no version from a client that did not make the last save: its base is unknown
    (CONTRACTS §5). Without a version, the save is taken as made on the current version only while
    `client` is the client that saved last, or nobody has saved yet. A caller that names no client
    is not checked."""
    response.refresh_from_db(fields=RESPONSE_FIELDS, from_queryset=Response.objects.select_for_update())
    if version is not None and version != response.version:
        raise StaleVersion(
            current_version=response.version,
            changed=changes_since(
                object_type=log.object_type, object_ref=log.object_ref, action=log.action, version=version
            ),
        )
    if version is None and client is not None and response.saved_by_client not in ("", client):
        raise VersionRequired(current_version=response.version)


def response_version_raise(*, response: Response, client: str | None) -> list[int]:
    """Raise the version by one for a save that changed something, recording which client made it;
    returns [old, new] for the owner's history row."""
    response.version += 1
    response.saved_by_client = client or UNNAMED_CLIENT
    response.updated_at = timezone.now()
    response.save(update_fields=RESPONSE_FIELDS)
    return [response.version - 1, response.version]
