"""The audit document (REC-1): each finished audit rendered to a PDF and stored against the child's
file, the durable record a file access request will include.

WeasyPrint renders an HTML template with print CSS. Its URL fetcher serves only this app's own
static files: nothing is ever fetched from the network (BEY-2), whatever the audit's text says.
The file is stored under MEDIA_ROOT, never served from a public URL: the download view checks
permission and logs every access (SEC-2). A stored file that storage no longer has is an alert for
the operator (logged as an error), and a plain "not available" answer for the person, not a crash."""

import hashlib
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile, File
from django.template.loader import render_to_string
from django.utils import timezone

from caseaudit.audits.models import Audit, AuditDocument
from caseaudit.audits.presenters.audit import audit_view
from caseaudit.audits.presenters.family import family_view
from caseaudit.audits.presenters.panels import audit_document_panels
from caseaudit.audits.presenters.records import long_datetime, stage_label
from caseaudit.audits.selectors import audit_get, audit_state, audit_template_sections
from caseaudit.core.services import user_or_none
from caseaudit.org.selectors import authority_name
from caseaudit.templates_library.selectors import audit_type_get

# The document's own base URL: `.invalid` never resolves (RFC 2606), so a relative URL in the
# template can only ever mean a static file of this app.
BASE_URL = "https://caseaudit.invalid/"
TEMPLATE = "audits/pdf/audit.html"

logger = logging.getLogger(__name__)

# WeasyPrint reports each step of every render at INFO level: not news for the council's logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def static_files_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves files under STATIC_URL from the static files finders
    and refuses every other URL: no network, no file:// (BEY-2). Refused URLs are kept in its
    `refused` list so a test can see what was asked for. (WeasyPrint is imported on first use:
    it takes most of a second.)"""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=["https"], allow_redirects=False, timeout=1)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file_path(url)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"The audit document may only use local static files, not {url!r}")
            body = Path(path).read_bytes()
            content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    return StaticFilesOnlyFetcher()


def static_file_path(url: str) -> str | None:
    """The local file behind `url`, if it is one of this app's static files."""
    parts, base = urlsplit(url), urlsplit(BASE_URL)
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(static_url):
        return None
    relative = unquote(parts.path[len(static_url) :])
    if not relative or ".." in relative.split("/") or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    if found is None and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    return str(found) if found else None


def document_title(template_title: str, stage: str) -> str:
    """ "Stage 1 Good Practice audit", not "Stage 1 Good Practice audit: Stage 1" (issue 9 B10):
    the stage is added only where the template's title does not already say it."""
    return template_title if stage.lower() in template_title.lower() else f"{template_title}: {stage}"


def audit_document_html(*, audit: Audit, stage: str = "stage1") -> str:
    """The HTML the PDF is made from (also what tests read, as the PDF's text is compressed)."""
    state = audit_state(audit=audit)
    sections = list(audit_template_sections(audit=audit))
    view = audit_view(state=state, sections=sections, audit_type=audit_type_get(token=audit.audit_type))
    return render_to_string(
        TEMPLATE,
        {
            "view": view,
            "summary": view.summary,
            "stage": stage,
            "stage_label": stage_label(stage),
            "document_title": document_title(view.summary.template_title, stage_label(stage)),
            "authority_name": authority_name(),
            "rendered_at": long_datetime(timezone.now()),
            "panels": audit_document_panels(audit=audit, stage=stage),
            "family": family_view(audit),
        },
    )


def audit_pdf_bytes(html: str, *, fetcher: Any = None) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher or static_files_fetcher()
    ).write_pdf()
    return pdf


def audit_document_render(*, audit: Audit, actor: Any, stage: str = "stage1") -> AuditDocument:
    """Render the audit to a PDF and store it as an AuditDocument (file, SHA-256, size). Called by
    `audit_submit` inside its transaction, so the document exists exactly when the audit is
    submitted; `audit_submit` deletes the file again if its transaction fails after this."""
    pdf = audit_pdf_bytes(audit_document_html(audit=audit, stage=stage))
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"audit-{audit.pk}-{audit.case.case_id}-{stage}-{digest[:12]}.pdf"
    return AuditDocument.objects.create(
        audit=audit,
        stage=stage,
        file=ContentFile(pdf, name=name),
        sha256=digest,
        size=len(pdf),
        created_at=timezone.now(),
        created_by=user_or_none(actor),
    )


def audit_document_latest(*, audit: Audit, stage: str | None = None) -> AuditDocument | None:
    """The newest document of an audit already found through a scoped selector."""
    documents = audit.documents.order_by("-created_at", "-id")
    if stage:
        documents = documents.filter(stage=stage)
    return documents.first()


def audit_document_for_download(
    *, user: Any, audit_id: int, stage: str | None = None
) -> tuple[Audit | None, AuditDocument | None]:
    """(audit, its newest document) when `user` may see the audit and download its documents;
    (None, None) when the audit is not visible to them."""
    audit = audit_get(user=user, audit_id=audit_id)
    if audit is None or not user.has_perm("audits.download_document", audit):
        return None, None
    return audit, audit_document_latest(audit=audit, stage=stage)


def audit_document_filename(document: AuditDocument) -> str:
    audit = document.audit
    return f"audit-{audit.pk}-case-{audit.case.case_id}-{document.stage}.pdf"


def audit_document_open(*, document: AuditDocument) -> File | None:
    """The stored PDF, open for reading; None when storage does not have it (deleted on disk, a
    storage volume not mounted, unreadable), logged as an error naming the audit and the file so
    the operator can restore it from backup: the record says the document exists, so its absence
    is our fault, never the person's (REC-1: documents are never deleted)."""
    try:
        if not document.file.name:
            raise FileNotFoundError("no file is recorded for the document")
        return document.file.open("rb")
    except OSError as exc:
        logger.error(
            "The %s document %s of audit %s is missing from storage: file %r (%s). "
            "Restore it from backup; until then it cannot be downloaded.",
            document.stage,
            document.pk,
            document.audit_id,
            document.file.name,
            exc,
        )
        return None
