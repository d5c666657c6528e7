"""What the questionnaire engine refuses besides a rule: a save made on a version that is no
longer current (CONTRACTS §5). Problems with the content itself are core's `Problem`s; the
owner raises them as its own `Refused`."""

from typing import Any


class StaleVersion(Exception):
    """The caller loaded an older version of the response: nothing was saved. `changed` says what
    changed since their version, {what: [value at their version, value now]}, so a form can show
    it and keep the person's own text."""

    def __init__(self, *, current_version: int, changed: dict[str, list[Any]] | None = None) -> None:
        self.current_version = current_version
        self.changed: dict[str, list[Any]] = dict(changed or {})
        super().__init__(
            f"The audit has changed since you loaded it: it is now at version {current_version}."
        )


class VersionRequired(StaleVersion):
    """A save that names no version, from a client other than the one that saved the response
    last (CONTRACTS §5): its base is unknown, so it may be older than that save and would overwrite
    it unseen. Nothing was saved; `changed` is empty, as there is no version to compare with."""

    def __init__(self, *, current_version: int) -> None:
        super().__init__(current_version=current_version)
        self.args = (
            "Another client saved this audit since you may have loaded it: send the version you loaded "
            f"(it is now at version {current_version}).",
        )
