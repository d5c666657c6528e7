import datetime

import factory

from caseaudit.cases.models import Case, Child
from caseaudit.org.tests.factories import StaffFactory, TeamFactory


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    child_id = factory.Sequence(lambda n: f"CH{n:05d}")
    name = factory.Sequence(lambda n: f"Test Child {n}")
    date_of_birth = datetime.date(2015, 3, 14)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    case_id = factory.Sequence(lambda n: f"C{n:05d}")
    child = factory.SubFactory(ChildFactory)
    team = factory.SubFactory(TeamFactory)
    allocated_worker = factory.SubFactory(StaffFactory, team=factory.SelfAttribute("..team"))
    case_type = Case.CaseType.CIN
    start_date = datetime.date(2026, 1, 5)
    status = Case.Status.OPEN

    @factory.post_generation
    def mark_child_restricted(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and self.restricted and not self.child.restricted:
            self.child.restricted = True
            self.child.save(update_fields=["restricted"])
