"""Factories for the organisation. Staff come with an account, roles and line-management links."""

from typing import Any

import factory
from django.contrib.auth import get_user_model

from caseaudit.org.models import Authority, GeographicalArea, ServiceArea, Staff, StaffRole, Team
from caseaudit.org.services import line_management_link_new_staff

TEST_PASSWORD = "correct-horse-battery-staple-42"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = "Northshire County Council (test)"


class GeographicalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeographicalArea
        django_get_or_create = ("name",)

    name = factory.Iterator(["North", "South", "Central"])


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)

    name = "Children's social work"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    team_id = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Test team {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)
    geographical_area = factory.SubFactory(GeographicalAreaFactory)
    eligible_for_audit = True


class StaffFactory(factory.django.DjangoModelFactory):
    """`StaffFactory(roles=["qa_officer"], line_manager=pm)`; signs in with TEST_PASSWORD."""

    class Meta:
        model = Staff
        skip_postgeneration_save = True

    staff_id = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"Test Person {n}")
    email = factory.LazyAttribute(lambda o: f"{o.staff_id.lower()}@example.test")
    job_role = "Social worker"
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for role in extracted or []:
                StaffRole.objects.create(staff=self, role=role)

    @factory.post_generation
    def account(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        user = get_user_model().objects.create_user(username=self.email.lower(), email=self.email)
        user.set_password(TEST_PASSWORD)
        user.save()
        self.user = user
        self.save(update_fields=["user"])
        line_management_link_new_staff(staff=self)
