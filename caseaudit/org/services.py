"""Writes to the organisation."""

from collections.abc import Mapping

from caseaudit.org.models import LineManagementLink, Staff


def line_management_chains(managers: Mapping[str, str | None]) -> tuple[dict[str, list[str]], set[str]]:
    """Walk each person's chain upwards in a {person: line manager} map.

    Returns ({person: [manager, manager's manager, ...]}, people in a cycle). Pure, so the
    importer validates a file's hierarchy before anything is written."""
    chains: dict[str, list[str]] = {}
    in_cycle: set[str] = set()
    for person in managers:
        chain: list[str] = []
        seen = {person}
        current = managers.get(person)
        while current is not None:
            if current in seen:
                if current == person:
                    in_cycle.add(person)
                break
            chain.append(current)
            seen.add(current)
            current = managers.get(current)
        chains[person] = chain
    return chains, in_cycle


def line_management_rebuild() -> int:
    """Rebuild the closure table from each person's line manager. Returns the link count."""
    managers: dict[str, str | None] = {}
    for pk, manager_pk in Staff.objects.values_list("pk", "line_manager_id"):
        managers[str(pk)] = str(manager_pk) if manager_pk is not None else None
    chains, in_cycle = line_management_chains(managers)
    if in_cycle:
        raise ValueError(f"line management has a cycle through staff {sorted(in_cycle)}")
    links = [
        LineManagementLink(manager_id=int(manager), report_id=int(person), depth=depth)
        for person, chain in chains.items()
        for depth, manager in enumerate(chain, start=1)
    ]
    LineManagementLink.objects.all().delete()
    LineManagementLink.objects.bulk_create(links, batch_size=2000)
    return len(links)


def line_management_link_new_staff(*, staff: Staff) -> None:
    """Add the closure rows of a person just given a line manager (no one reports to them yet)."""
    if staff.line_manager_id is None:
        return
    above = list(
        LineManagementLink.objects.filter(report_id=staff.line_manager_id).values_list("manager_id", "depth")
    )
    LineManagementLink.objects.bulk_create(
        [LineManagementLink(manager_id=staff.line_manager_id, report=staff, depth=1)]
        + [LineManagementLink(manager_id=m, report=staff, depth=d + 1) for m, d in above]
    )
