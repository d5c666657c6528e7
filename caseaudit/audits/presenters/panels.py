"""Panels that higher apps add to an audit's page and to its PDF (ADR 0005): the stages after
Stage 1 (the worker's feedback, the head of QA's decision, Stage 2 moderation, the panel) belong to
the moderation app, which the audits app does not import. Each registers a provider in its
`AppConfig.ready()`; a provider returns the panels it has for a person and an audit (none when it
has nothing to show them), each a template and its context, read through its own scoped selectors."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from caseaudit.audits.models import Audit


@dataclass(frozen=True)
class AuditPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50  # lower first


PagePanelProvider = Callable[..., Iterable[AuditPanel]]
DocumentPanelProvider = Callable[..., Iterable[AuditPanel]]
_page_providers: list[PagePanelProvider] = []
_document_providers: list[DocumentPanelProvider] = []


def audit_page_panel_provider(provider: PagePanelProvider) -> PagePanelProvider:
    """Register `provider(user=..., audit=...)`: panels for the audit's overview page."""
    if provider not in _page_providers:
        _page_providers.append(provider)
    return provider


def audit_document_panel_provider(provider: DocumentPanelProvider) -> DocumentPanelProvider:
    """Register `provider(audit=..., stage=...)`: parts of the audit's PDF at a stage."""
    if provider not in _document_providers:
        _document_providers.append(provider)
    return provider


def audit_page_panels(*, user: Any, audit: Audit) -> list[AuditPanel]:
    panels = [panel for provider in _page_providers for panel in provider(user=user, audit=audit)]
    return sorted(panels, key=lambda panel: panel.order)


def audit_document_panels(*, audit: Audit, stage: str) -> list[AuditPanel]:
    panels = [panel for provider in _document_providers for panel in provider(audit=audit, stage=stage)]
    return sorted(panels, key=lambda panel: panel.order)
