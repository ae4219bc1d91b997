"""seed_bench: the benchmark's dataset, at small sizes."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from quizzes.models import Answer, Attempt, Outcome, Question, ReviewItem

pytestmark = pytest.mark.django_db


def seed(**sizes):
    out = io.StringIO()
    call_command(
        "seed_bench", stdout=out, **{"questions": 30, "learners": 5, "answers": 210, "learner_answers": 90, **sizes}
    )
    return out.getvalue()


def test_it_seeds_the_sizes_asked_for(quiz_content):
    content_questions = Question.objects.count()
    report = seed()
    assert "Seeded 30 questions, 5 learners and 210 answers (90 of them bench-learner's)" in report
    assert Question.objects.published().count() == content_questions + 30
    learners = get_user_model().objects.filter(username__startswith="bench")
    assert learners.count() == 5
    assert not any(learner.has_usable_password() for learner in learners)
    assert Answer.objects.count() == Outcome.objects.count() == 210
    per_learner = dict(Answer.objects.values_list("attempt__user__username").annotate(Count("id")))
    assert per_learner.pop("bench-learner") == 90
    assert sorted(per_learner.values()) == [30, 30, 30, 30]
    assert not Attempt.objects.unfinished().exists()
    missed = Outcome.objects.filter(is_correct=False)
    assert ReviewItem.objects.count() == missed.values("user", "duty", "service").distinct().count() > 0


def test_it_refuses_a_database_seeded_already(quiz_content):
    seed()
    with pytest.raises(CommandError, match="seeded already"):
        seed()


def test_it_needs_the_content_loaded_first(db):
    with pytest.raises(CommandError, match="load_content"):
        seed()


@pytest.mark.parametrize(
    "sizes",
    [{"learners": 0}, {"answers": 50, "learner_answers": 90}, {"learners": 1}],
    ids=["no learner", "more for one than for all", "one learner, answers left over"],
)
def test_it_refuses_sizes_that_do_not_add_up(quiz_content, sizes):
    with pytest.raises(CommandError):
        seed(**sizes)
