"""The home page's "your work": what each person has to do now, gathered from the apps that know
(the audits to do, the access requests to decide, this month's allocation, the audits of one's
own cases). Each app registers a provider when it is ready; core knows none of them, so the
shared kernel depends on no domain app. A provider returns nothing for someone it has nothing
for, and reads only through its app's scoped selectors."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HomeLink:
    text: str
    href: str
    hidden: str = ""  # words for screen readers that make the link's text unique


@dataclass(frozen=True)
class HomeRow:
    """One thing of a task's list (an audit, say): a link to it and a sentence about it."""

    link: HomeLink
    text: str


@dataclass(frozen=True)
class HomeTask:
    heading: str
    lines: list[str]
    links: list[HomeLink] = field(default_factory=list)
    rows: list[HomeRow] = field(default_factory=list)
    tag: str = ""  # e.g. "1 overdue": shown as a red tag beside the heading
    order: int = 50  # lower first


Provider = Callable[[Any], Iterable[HomeTask]]
_providers: list[Provider] = []


def home_provider(provider: Provider) -> Provider:
    """Register `provider(user)` (a decorator; idempotent, so an app's ready() may run twice)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


ProfileProvider = Callable[[Any], Iterable[str]]
_profile_providers: list[ProfileProvider] = []


def home_profile_provider(provider: ProfileProvider) -> ProfileProvider:
    """Register `provider(user)`: sentences about who is signed in ("Your roles: …"), beside the tasks."""
    if provider not in _profile_providers:
        _profile_providers.append(provider)
    return provider


def home_profile(*, user: Any) -> list[str]:
    return [line for provider in _profile_providers for line in provider(user)]


def home_tasks(*, user: Any) -> list[HomeTask]:
    tasks = [task for provider in _providers for task in provider(user)]
    return sorted(tasks, key=lambda task: task.order)
