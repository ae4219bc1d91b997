"""Owner and sort questions come from the catalog; quiz rules decide what is drawn."""

import random

import pytest

from quizzes.bank.drawing import Catalog, RuleSpec, candidates, draw
from quizzes.models import Kind, Quiz
from study.models import Responsibility, Service

pytestmark = pytest.mark.django_db


def test_every_responsibility_row_is_an_owner_question(quiz_content):
    found = set(candidates(RuleSpec(count=1, kind=Kind.OWNER), Catalog()))
    rows = {("row", duty, service) for duty, service in Responsibility.objects.values_list("duty_id", "service_id")}
    assert rows <= found
    assert len(rows) >= 100


def test_a_catalog_change_changes_the_questions(client, quiz_content):
    row = Responsibility.objects.get(duty__slug="patch-guest-os", service__slug="ec2")
    row.explanation = "Updated explanation from the admin."
    row.save()
    from quizzes.bank.drawing import owner_item

    item = owner_item(Catalog(), row.duty_id, row.service_id)
    assert item.key["explanation"] == "Updated explanation from the admin."
    assert item.key["correct"] == ["customer"]


def test_a_service_drill_draws_only_that_services_items(quiz_content):
    _catalog, chosen = draw(Quiz.objects.get(slug="drill-rds"), rng=random.Random(1))
    services = {s.pk: s.slug for s in Service.objects.all()}
    owner_services = {services[c[2]] for c in chosen if c[0] == "row"}
    assert owner_services <= {"rds", "aurora"}
    assert len(chosen) == 10


def test_the_exam_simulation_draws_thirty_questions_of_every_kind(quiz_content):
    _catalog, chosen = draw(Quiz.objects.get(slug="exam-simulation"), rng=random.Random(2))
    assert len(chosen) == 30
    assert len(set(chosen)) == 30


def test_sort_cards_hold_the_services_rows(quiz_content):
    from quizzes.bank.drawing import sort_item

    catalog = Catalog()
    ec2 = Service.objects.get(slug="ec2")
    item = sort_item(catalog, ec2.pk, random.Random(3))
    assert 2 <= len(item.options) <= 4
    for card, owner in item.key["correct"].items():
        duty = catalog.duties[item.key["duties"][card]]
        assert duty.row_for(ec2).owner == owner
    assert len(set(item.key["correct"].values())) >= 2  # more than one bucket is used


def test_the_shipped_quizzes_are_there(quiz_content):
    slugs = set(Quiz.objects.published().values_list("slug", flat=True))
    assert {
        "quick-check", "drill-ec2", "drill-rds", "drill-lambda", "drill-s3", "drill-dynamodb", "drill-containers",
        "sort-the-duties", "exam-simulation", "review-my-mistakes",
    } <= slugs  # fmt: skip
    exam = Quiz.objects.get(slug="exam-simulation")
    assert (exam.mode, exam.time_limit_minutes, exam.pass_mark) == ("exam", 30, 70)


def test_the_starter_bank_has_forty_written_questions_of_kinds_3_to_5(quiz_content):
    from quizzes.models import Question

    written = Question.objects.published().filter(kind__in=[Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE])
    assert written.count() >= 40
    for question in written.prefetch_related("choices"):
        correct = sum(choice.is_correct for choice in question.choices.all())
        assert correct == 1 if question.kind != Kind.MULTIPLE else correct >= 1, question.slug
        assert question.explanation, question.slug
