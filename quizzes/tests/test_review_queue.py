"""The Leitner review queue and the confidence rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Kind, Quiz, ReviewItem
from quizzes.progress.review_queue import BOX_INTERVALS
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill(learner_client, quiz_content):
    return start(learner_client, Quiz.objects.get(slug="drill-ec2"))


def owner_items(attempt):
    return list(attempt.items.filter(kind=Kind.OWNER))


def due_in(review):
    return review.due_at - review.last_reviewed_at


def test_a_confident_wrong_answer_comes_back_soonest(learner_client, drill):
    sure, unsure, guess = owner_items(drill)[:3]
    answer(learner_client, sure, wrong_answer(sure), confidence="sure")
    answer(learner_client, unsure, wrong_answer(unsure), confidence="unsure")
    answer(learner_client, guess, wrong_answer(guess), confidence="guessing")
    # By duty and service: a drill may ask the same duty for two services.
    reviews = {(r.duty_id, r.service_id): r for r in ReviewItem.objects.all()}
    assert due_in(reviews[sure.duty_id, sure.service_id]) == timedelta(0)
    assert due_in(reviews[unsure.duty_id, unsure.service_id]) == timedelta(minutes=10)
    assert due_in(reviews[guess.duty_id, guess.service_id]) == timedelta(hours=1)
    assert all(r.box == 1 for r in reviews.values())


def test_a_correct_guess_is_not_counted_as_known(learner_client, drill):
    item = owner_items(drill)[0]
    answer(learner_client, item, right_answer(item), confidence="guessing")
    review = ReviewItem.objects.get()
    assert review.box == 1
    assert due_in(review) == BOX_INTERVALS[1]
    assert not item.answer.outcomes.get().is_known


def test_a_sure_right_answer_adds_nothing_to_the_queue(learner_client, drill):
    item = owner_items(drill)[0]
    answer(learner_client, item, right_answer(item), confidence="sure")
    assert not ReviewItem.objects.exists()


def test_right_answers_move_an_item_up_the_boxes_and_out(learner, quiz_content):
    from quizzes.bank.drawing import Catalog, owner_item
    from quizzes.models import Attempt
    from quizzes.progress.review_queue import schedule
    from study.models import Duty, Service

    ec2 = Service.objects.get(slug="ec2")
    duty = Duty.objects.get(slug="patch-guest-os")
    item = owner_item(Catalog(), duty.pk, ec2.pk)
    item.attempt = Attempt.objects.create(quiz=Quiz.objects.first(), user=learner, mode="practice", pass_mark=70)
    item.position = 0
    item.save()
    now = timezone.now()
    wrong, right = item.grade({"choices": ["aws"]}), item.grade({"choices": ["customer"]})
    schedule(user=learner, item=item, grade=wrong, confidence="", now=now)
    for box in range(2, 6):
        schedule(user=learner, item=item, grade=right, confidence="sure", now=now)
        review = ReviewItem.objects.get()
        assert review.box == box
        assert review.due_at == now + BOX_INTERVALS[box]
    schedule(user=learner, item=item, grade=right, confidence="sure", now=now)
    assert not ReviewItem.objects.exists()
    schedule(user=learner, item=item, grade=wrong, confidence="sure", now=now)
    assert ReviewItem.objects.get().box == 1


def test_review_my_mistakes_draws_the_due_items(learner_client, drill):
    missed = owner_items(drill)[:3]
    for item in missed:
        answer(learner_client, item, wrong_answer(item), confidence="sure")
    assert "3</strong> items due now" in learner_client.get("/progress/").content.decode()
    review = start(learner_client, Quiz.objects.get(slug="review-my-mistakes"))
    assert {(i.duty_id, i.service_id) for i in review.items.all()} == {(i.duty_id, i.service_id) for i in missed}


def test_review_my_mistakes_with_nothing_due_says_so(learner_client, quiz_content):
    response = learner_client.post("/quizzes/review-my-mistakes/start/", follow=True)
    assert "nothing due" in response.content.decode()
