"""The demo authority's organisation: areas, teams, and staff in a line-management hierarchy.

Pure: built from a random.Random and a staff count, with no database. The structure (which
teams, who manages whom, which staff ID each post gets) depends only on the staff count; the
seed picks the names. The people behind the demo sign-ins have fixed names and emails."""

import math
import random
import re
from dataclasses import dataclass, field

from caseaudit.accounts.roles import Role
from caseaudit.demo import names

DOMAIN = "northshire.example"
AREAS = ("North", "South", "Central")


@dataclass(frozen=True)
class TeamKind:
    name: str
    service_area: str
    eligible: bool
    named_by_area: bool  # "Early Help North"; county-wide teams have one name
    case_types: tuple[tuple[str, int], ...]  # (case_type, weight)
    practitioner: str  # job role of the team's practitioners
    size: int  # relative number of practitioners
    caseload: float  # relative number of cases per practitioner
    ages: tuple[int, int] | None = None  # children's ages, where narrower than the case type's


# The seed's eligible teams (SEL-2), and teams whose cases are not audited monthly.
KINDS: dict[str, TeamKind] = {
    "ai": TeamKind(
        "Assessment & Intervention", "Assessment & Intervention", True, True,
        (("cin", 60), ("cp", 40)), "Social worker", 8, 1.0,
    ),
    "fsp": TeamKind(
        "FSP", "Family Support & Protection", True, True, (("cin", 45), ("cp", 55)), "Social worker", 8, 1.0
    ),
    "cd": TeamKind(
        "Children's Disability", "Disabled Children's Service", True, False,
        (("cin", 80), ("cla", 12), ("cp", 8)), "Social worker", 6, 0.9,
    ),
    "eh": TeamKind(
        "Early Help", "Early Help", True, True, (("early_help", 1),), "Early help practitioner", 7, 1.2
    ),
    "lac": TeamKind(
        "Looked After Children", "Children in Care", True, True, (("cla", 1),), "Social worker", 7, 0.9
    ),
    "lc": TeamKind(
        "Leaving Care", "Children in Care", True, False, (("care_leaver", 1),), "Personal adviser", 6, 1.1
    ),
    "mash": TeamKind(
        "Multi-Agency Safeguarding Hub", "Front Door", False, False,
        (("cin", 70), ("early_help", 30)), "Social worker", 6, 0.5,
    ),
    "yj": TeamKind(
        "Youth Justice", "Youth Justice", False, False, (("cin", 80), ("cla", 20)),
        "Youth justice officer", 4, 0.6, ages=(10, 17),
    ),
    "fostering": TeamKind(
        "Fostering", "Permanence", False, False, (("cla", 1),), "Supervising social worker", 4, 0.5
    ),
    "adoption": TeamKind(
        "Adoption", "Permanence", False, False, (("cla", 1),), "Social worker", 3, 0.4, ages=(0, 7)
    ),
}  # fmt: skip

# Which teams each area has; a bigger authority has several of each ("Early Help North 2").
LAYOUT: dict[str, tuple[str, ...]] = {
    "North": ("ai", "fsp", "eh", "lac", "fostering"),
    "South": ("ai", "fsp", "eh", "lac", "adoption", "yj"),
    "Central": ("ai", "cd", "eh", "lac", "lc", "mash"),
}
TEAMS_PER_GROUP_MANAGER = 3
GROUP_MANAGERS_PER_SERVICE_MANAGER = 4
STAFF_PER_SET_OF_TEAMS = 150


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    kind: str
    area: str

    @property
    def service_area(self) -> str:
        return KINDS[self.kind].service_area

    @property
    def eligible(self) -> bool:
        return KINDS[self.kind].eligible


@dataclass
class Person:
    staff_id: str
    name: str
    email: str
    job_role: str
    roles: tuple[str, ...]
    line_manager_id: str = ""
    team_id: str = ""
    area: str = ""  # the optional geographical_area column: only where it adds something


# The people behind the demo sign-ins: fixed names and emails, whatever the seed.
FIXED_PEOPLE: dict[str, tuple[str, str]] = {
    "senior.manager": ("Helen Marsh", "Director of Children's Services"),
    "head.of.service": ("Richard Osei", "Head of Service, Children's Social Care"),
    "head.of.qa": ("Angela Price", "Head of Quality Assurance"),
    "panel.chair": ("Martin Doyle", "Principal Social Worker"),
    "administrator": ("Sam Fielding", "Systems Administrator"),
    "information.governance": ("Priya Shah", "Information Governance Officer"),
    "qa.officer": ("Nadia Rahman", "Quality Assurance Officer"),
    "moderator": ("Claire Bennett", "Service Manager, North"),
    "group.manager": ("Gareth Lloyd", "Group Manager, North"),
    "practice.manager": ("Joanne Hughes", "Practice Manager"),
    "social.worker": ("Jo Carter", "Social worker"),
}


def fixed_email(key: str) -> str:
    return f"{key}@{DOMAIN}"


@dataclass
class Organisation:
    teams: list[Team]
    people: list[Person]
    practitioners_by_team: dict[str, list[str]] = field(default_factory=dict)

    def practitioners(self) -> list[tuple[str, Team]]:
        """(staff_id, team) of every practitioner, in staff-ID order."""
        by_id = {team.team_id: team for team in self.teams}
        return [
            (staff_id, by_id[team_id])
            for team_id, staff_ids in self.practitioners_by_team.items()
            for staff_id in staff_ids
        ]


def sets_of_teams(staff: int) -> int:
    return max(1, round(staff / STAFF_PER_SET_OF_TEAMS))


def build_teams(sets: int) -> list[Team]:
    teams: list[Team] = []
    for area in AREAS:
        for kind_key in LAYOUT[area]:
            kind = KINDS[kind_key]
            for unit in range(1, sets + 1):
                name = (
                    kind.name + (f" {area}" if kind.named_by_area else "") + (f" {unit}" if sets > 1 else "")
                )
                teams.append(Team(f"T{len(teams) + 1:03d}", name, kind_key, area))
    return teams


def _chunks(items: list[Team], size: int) -> list[list[Team]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def minimum_staff(sets: int) -> int:
    teams = build_teams(sets)
    return _overhead(teams, qa_officers=3) + 2 * len(teams)


def _overhead(teams: list[Team], *, qa_officers: int) -> int:
    """Posts above and beside the teams: director, head of service, head of QA, panel chair,
    administrator, information governance officer, QA officers, service managers and group managers."""
    total = 6 + qa_officers
    for area in AREAS:
        group_managers = math.ceil(sum(t.area == area for t in teams) / TEAMS_PER_GROUP_MANAGER)
        total += group_managers + math.ceil(group_managers / GROUP_MANAGERS_PER_SERVICE_MANAGER)
    return total


def _team_sizes(teams: list[Team], practitioners: int) -> list[int]:
    """One practitioner per team, the rest shared by each kind's relative size (largest remainder)."""
    weights = [KINDS[t.kind].size for t in teams]
    spare = practitioners - len(teams)
    shares = [spare * w / sum(weights) for w in weights]
    sizes = [1 + int(s) for s in shares]
    by_remainder = sorted(range(len(teams)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_remainder[: practitioners - sum(sizes)]:
        sizes[i] += 1
    return sizes


class _Namer:
    """Synthetic adult names with unique emails (given.surname, numbered on a clash)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used = {fixed_email(key) for key in FIXED_PEOPLE}

    def new(self) -> tuple[str, str]:
        given = self.rng.choice(names.GIVEN_NAMES_ADULT)
        surname = self.rng.choice(names.SURNAMES)
        local = re.sub(r"[^a-z0-9.-]", "", f"{given}.{surname}".lower())
        email, n = f"{local}@{DOMAIN}", 1
        while email in self.used:
            n += 1
            email = f"{local}{n}@{DOMAIN}"
        self.used.add(email)
        return f"{given} {surname}", email


def build_organisation(rng: random.Random, *, staff: int) -> Organisation:
    sets = sets_of_teams(staff)
    teams = build_teams(sets)
    qa_officers = max(3, staff // 200)
    practitioners = staff - _overhead(teams, qa_officers=qa_officers) - len(teams)
    if practitioners < len(teams):
        raise ValueError(f"the demo authority needs at least {minimum_staff(sets)} staff, not {staff}")
    namer = _Namer(rng)
    people: list[Person] = []

    def add(job_role: str, roles: tuple[str, ...], *, fixed: str = "", **where: str) -> Person:
        if fixed:
            name, email = FIXED_PEOPLE[fixed][0], fixed_email(fixed)
        else:
            name, email = namer.new()
        person = Person(f"S{len(people) + 1:04d}", name, email, job_role, roles, **where)
        people.append(person)
        return person

    def fixed_job(key: str) -> str:
        return FIXED_PEOPLE[key][1]

    director = add(fixed_job("senior.manager"), (Role.SENIOR_MANAGER,), fixed="senior.manager")
    head_of_service = add(
        fixed_job("head.of.service"),
        (Role.HEAD_OF_SERVICE, Role.MODERATOR, Role.SENIOR_MANAGER),
        fixed="head.of.service",
        line_manager_id=director.staff_id,
    )
    head_of_qa = add(
        fixed_job("head.of.qa"), (Role.HEAD_OF_QA,), fixed="head.of.qa", line_manager_id=director.staff_id
    )
    add(
        fixed_job("panel.chair"),
        (Role.PANEL_CHAIR, Role.MODERATOR),
        fixed="panel.chair",
        line_manager_id=director.staff_id,
    )
    add(
        fixed_job("administrator"),
        (Role.ADMINISTRATOR,),
        fixed="administrator",
        line_manager_id=head_of_qa.staff_id,
    )
    add(
        fixed_job("information.governance"),
        (Role.INFORMATION_GOVERNANCE,),
        fixed="information.governance",
        line_manager_id=director.staff_id,
    )
    for n in range(qa_officers):
        add(
            fixed_job("qa.officer"),
            (Role.QA_OFFICER,),
            fixed="qa.officer" if n == 0 else "",
            line_manager_id=head_of_qa.staff_id,
        )

    sizes = dict(zip((t.team_id for t in teams), _team_sizes(teams, practitioners), strict=True))
    organisation = Organisation(teams=teams, people=people)
    for area in AREAS:
        groups = _chunks([t for t in teams if t.area == area], TEAMS_PER_GROUP_MANAGER)
        service_managers = [
            add(
                f"Service Manager, {area}",
                (Role.SERVICE_MANAGER, Role.MODERATOR),
                fixed="moderator" if area == AREAS[0] and n == 0 else "",
                line_manager_id=head_of_service.staff_id,
            )
            for n in range(math.ceil(len(groups) / GROUP_MANAGERS_PER_SERVICE_MANAGER))
        ]
        for g, group in enumerate(groups):
            # The demo social worker and practice manager are in the first group of the first
            # area; the demo group manager (the auditor) manages the next one (North always has
            # two: five teams, three to a group manager), so the demo worker's cases may be
            # allocated to them (SEL-3: never a case of one's own line).
            first_in_chain = area == AREAS[0] and g == 0
            demo_auditor = area == AREAS[0] and g == min(1, len(groups) - 1)
            group_manager = add(
                f"Group Manager, {area}",
                (Role.GROUP_MANAGER,),
                fixed="group.manager" if demo_auditor else "",
                line_manager_id=service_managers[g * len(service_managers) // len(groups)].staff_id,
                area=area,
            )
            for t, team in enumerate(group):
                demo_team = first_in_chain and t == 0
                practice_manager = add(
                    "Practice Manager",
                    (Role.PRACTICE_MANAGER,),
                    fixed="practice.manager" if demo_team else "",
                    line_manager_id=group_manager.staff_id,
                    team_id=team.team_id,
                )
                organisation.practitioners_by_team[team.team_id] = [
                    add(
                        "Senior practitioner" if n == 1 else KINDS[team.kind].practitioner,
                        (Role.SOCIAL_WORKER,),
                        fixed="social.worker" if demo_team and n == 0 else "",
                        line_manager_id=practice_manager.staff_id,
                        team_id=team.team_id,
                    ).staff_id
                    for n in range(sizes[team.team_id])
                ]
    assert len(people) == staff, (len(people), staff)
    return organisation
