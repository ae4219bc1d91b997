"""The duty catalog in memory, for drawing questions from it.

The catalog is small (tens of services, a few hundred rows), so a draw reads all of it in a few
queries and then answers every "which row holds here?" from memory, instead of a query per
generated question."""

from quizzes.models import Skill
from study.models import Duty, Misconception, Owner, Service

SKILL_OF_OWNER = {Owner.AWS: Skill.AWS, Owner.CUSTOMER: Skill.CUSTOMER, Owner.SHARED: Skill.SHARED}


class Catalog:
    """Services, duties with their rows and lessons, and the misconceptions that name an owner."""

    def __init__(self):
        self.services = {service.pk: service for service in Service.objects.in_order()}
        self.duties = {duty.pk: duty for duty in Duty.objects.with_rows().prefetch_related("lessons")}
        self.misconceptions = list(
            Misconception.objects.exclude(believed_owner="").prefetch_related("duties", "services")
        )

    def row(self, duty_id, service_id):
        duty = self.duties.get(duty_id)
        if duty is None:
            return None
        if service_id is None:
            return duty.general_row
        service = self.services.get(service_id)
        return duty.row_for(service) if service else None

    def applicable(self, service_id):
        """(duty, row) pairs that hold on one service, its own rows and the any-service rows."""
        service = self.services[service_id]
        return [(duty, row) for duty in self.duties.values() if (row := duty.row_for(service))]

    def skill_of(self, duty):
        owners = {row.owner for row in duty.responsibilities.all()}
        if len(owners) > 1:
            return Skill.SHIFT
        return SKILL_OF_OWNER[owners.pop()]

    def misconception_for(self, duty_id, service_id, owner):
        return next(
            (m for m in self.misconceptions if m.matches(duty_id=duty_id, service_id=service_id, owner=owner)), None
        )


def first_lesson(duty):
    """The lesson placed first of those that teach `duty` (None if no lesson does)."""
    lessons = sorted(duty.lessons.all(), key=lambda lesson: lesson.position)
    return lessons[0] if lessons else None
