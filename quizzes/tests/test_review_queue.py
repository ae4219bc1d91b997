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


def test_every_wrong_answer_is_due_again_at_once_whatever_the_confidence(learner_client, drill):
    items = owner_items(drill)[:4]
    before = timezone.now()
    for item, confidence in zip(items, ["sure", "unsure", "guessing", ""], strict=True):
        answer(learner_client, item, wrong_answer(item), confidence=confidence)
    # By duty and service: a drill may ask the same duty for two services.
    reviews = {(r.duty_id, r.service_id): r for r in ReviewItem.objects.all()}
    assert len(reviews) == 4
    for item in items:
        review = reviews[item.duty_id, item.service_id]
        assert (review.box, review.lapses, due_in(review)) == (1, 1, timedelta(0))
        assert before <= review.due_at <= timezone.now()


def test_a_wrong_answer_with_no_confidence_is_due_for_review_at_once(learner_client, drill):
    """The default (no confidence chosen) must not hide a miss from "Review my mistakes"."""
    item = owner_items(drill)[0]
    answer(learner_client, item, wrong_answer(item), confidence="")
    assert ReviewItem.objects.get().due_at <= timezone.now()
    assert "1 due now" in learner_client.get("/progress/").content.decode()
    review = start(learner_client, Quiz.objects.get(slug="review-my-mistakes"))
    assert [(i.duty_id, i.service_id) for i in review.items.all()] == [(item.duty_id, item.service_id)]


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
    assert "<strong>3 due now</strong>" in learner_client.get("/progress/").content.decode()
    review = start(learner_client, Quiz.objects.get(slug="review-my-mistakes"))
    assert {(i.duty_id, i.service_id) for i in review.items.all()} == {(i.duty_id, i.service_id) for i in missed}


def test_review_my_mistakes_with_nothing_due_says_so(learner_client, quiz_content):
    response = learner_client.post("/quizzes/review-my-mistakes/start/", follow=True)
    assert "Nothing to review right now. Your review queue is empty." in response.content.decode()


# -- `schedule` called directly: the box, the lapses and the due time of each rule ---------------


@pytest.fixture
def ec2_item(quiz_content):
    """An owner item of the catalog (patch the guest OS on EC2: the customer's), not saved."""
    from quizzes.bank.drawing import Catalog, owner_item
    from study.models import Duty, Service

    duty = Duty.objects.get(slug="patch-guest-os")
    return owner_item(Catalog(), duty.pk, Service.objects.get(slug="ec2").pk)


def queued(user, item, *, box, lapses, now):
    return ReviewItem.objects.create(
        user=user,
        key=f"d:{item.duty_id}:{item.service_id}",
        duty_id=item.duty_id,
        service_id=item.service_id,
        box=box,
        lapses=lapses,
        due_at=now,
        last_reviewed_at=now - timedelta(days=3),
    )


def schedule_answer(user, item, *, right, confidence, now):
    from quizzes.progress.review_queue import schedule

    grade = item.grade({"choices": ["customer" if right else "aws"]})
    schedule(user=user, item=item, grade=grade, confidence=confidence, now=now)
    return ReviewItem.objects.filter(user=user).first()


def test_a_miss_enters_box_1_with_one_lapse_and_each_miss_adds_one(learner, ec2_item):
    now = timezone.now()
    review = schedule_answer(learner, ec2_item, right=False, confidence="", now=now)
    assert (review.key, review.duty_id, review.service_id) == (
        f"d:{ec2_item.duty_id}:{ec2_item.service_id}",
        ec2_item.duty_id,
        ec2_item.service_id,
    )
    assert (review.box, review.lapses, review.due_at, review.last_reviewed_at) == (1, 1, now, now)
    later = now + timedelta(hours=2)
    review = schedule_answer(learner, ec2_item, right=False, confidence="unsure", now=later)
    assert (review.box, review.lapses, review.due_at, review.last_reviewed_at) == (1, 2, later, later)
    assert ReviewItem.objects.count() == 1


@pytest.mark.parametrize("confidence", ["", "sure", "unsure", "guessing"])
def test_a_miss_sends_a_queued_item_back_to_box_1_due_at_once_and_counts_a_lapse(learner, ec2_item, confidence):
    now = timezone.now()
    queued(learner, ec2_item, box=4, lapses=2, now=now)
    review = schedule_answer(learner, ec2_item, right=False, confidence=confidence, now=now)
    assert (review.box, review.lapses, review.due_at, review.last_reviewed_at) == (1, 3, now, now)


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("box", [None, 1, 2, 3, 4, 5])
def test_the_default_confidence_never_delays_a_review(learner, ec2_item, box, right):
    """No confidence given schedules an item no later than "sure" does, right or wrong, from any box."""
    now = timezone.now()

    def due_after(confidence):
        ReviewItem.objects.filter(user=learner).delete()
        if box is not None:
            queued(learner, ec2_item, box=box, lapses=0, now=now)
        review = schedule_answer(learner, ec2_item, right=right, confidence=confidence, now=now)
        return review and (review.box, review.due_at)

    default, sure = due_after(""), due_after("sure")
    assert default == sure  # the same step: the same box and the same due time (or both out)
    if not right:
        assert default == (1, now)


def test_each_rule_in_next_step():
    from quizzes.progress.review_queue import BOX_INTERVALS, LAST_BOX, Step, next_step

    for confidence in ["", "sure", "unsure", "guessing"]:
        for box in [None, *range(1, LAST_BOX + 1)]:
            assert next_step(box, right=False, confidence=confidence) == Step(1, timedelta(0), lapse=True)
            assert next_step(box, right=True, confidence="guessing") == Step(1, BOX_INTERVALS[1])
    for confidence in ["", "sure", "unsure"]:
        assert next_step(None, right=True, confidence=confidence) == Step(None)
        assert next_step(LAST_BOX, right=True, confidence=confidence) == Step(None)
        for box in range(1, LAST_BOX):
            assert next_step(box, right=True, confidence=confidence) == Step(box + 1, BOX_INTERVALS[box + 1])


def test_a_right_guess_on_a_queued_item_drops_it_to_box_1_without_a_lapse(learner, ec2_item):
    now = timezone.now()
    queued(learner, ec2_item, box=3, lapses=2, now=now)
    review = schedule_answer(learner, ec2_item, right=True, confidence="guessing", now=now)
    assert (review.box, review.lapses, review.due_at, review.last_reviewed_at) == (1, 2, now + timedelta(days=1), now)


@pytest.mark.parametrize("confidence", ["", "sure", "unsure"])
def test_a_known_right_answer_moves_a_queued_item_up_one_box_without_a_lapse(learner, ec2_item, confidence):
    now = timezone.now()
    queued(learner, ec2_item, box=3, lapses=2, now=now)
    review = schedule_answer(learner, ec2_item, right=True, confidence=confidence, now=now)
    assert (review.box, review.lapses, review.due_at, review.last_reviewed_at) == (4, 2, now + timedelta(days=8), now)


def test_box_4_answered_right_goes_to_box_5_and_box_5_leaves_the_queue(learner, ec2_item):
    now = timezone.now()
    queued(learner, ec2_item, box=4, lapses=1, now=now)
    review = schedule_answer(learner, ec2_item, right=True, confidence="sure", now=now)
    assert (review.box, review.due_at) == (5, now + timedelta(days=16))
    assert schedule_answer(learner, ec2_item, right=True, confidence="sure", now=now) is None


def test_a_right_guess_on_a_new_item_enters_box_1_due_the_next_day(learner, ec2_item):
    now = timezone.now()
    review = schedule_answer(learner, ec2_item, right=True, confidence="guessing", now=now)
    assert (review.box, review.lapses, review.due_at, review.last_reviewed_at) == (1, 0, now + timedelta(days=1), now)


def test_another_learners_queue_is_left_alone(learner, make_learner, ec2_item):
    now = timezone.now()
    other = make_learner()
    queued(other, ec2_item, box=3, lapses=0, now=now)
    schedule_answer(learner, ec2_item, right=False, confidence="sure", now=now)
    assert ReviewItem.objects.get(user=other).box == 3
    assert ReviewItem.objects.get(user=learner).box == 1


def test_the_review_keys_of_each_kind_of_item(quiz_content):
    from quizzes.models import AttemptItem, Grade
    from quizzes.progress.review_queue import review_keys

    cards = AttemptItem(kind=Kind.SORT, service_id=7, key={"duties": {"k0": 11, "k1": 12}})
    grade = Grade(score=0.5, is_correct=False, parts={"k0": True, "k1": False})
    assert review_keys(cards, grade) == [
        ("d:11:7", True, {"duty_id": 11, "service_id": 7}),
        ("d:12:7", False, {"duty_id": 12, "service_id": 7}),
    ]
    written_sort = AttemptItem(kind=Kind.SORT, question_id=5, key={"correct": {"k0": "aws"}})
    assert review_keys(written_sort, grade) == [("q:5", False, {"question_id": 5})]
    written = AttemptItem(kind=Kind.SINGLE, question_id=6)
    assert review_keys(written, Grade(score=1.0, is_correct=True)) == [("q:6", True, {"question_id": 6})]
    any_service = AttemptItem(kind=Kind.OWNER, duty_id=3)
    assert review_keys(any_service, Grade(score=1.0, is_correct=True)) == [
        ("d:3:any", True, {"duty_id": 3, "service_id": None})
    ]
    on_service = AttemptItem(kind=Kind.OWNER, duty_id=3, service_id=4)
    assert review_keys(on_service, Grade(score=0.0, is_correct=False)) == [
        ("d:3:4", False, {"duty_id": 3, "service_id": 4})
    ]


def test_a_sort_item_schedules_only_its_missed_cards(learner, quiz_content):
    import random

    from quizzes.bank.drawing import Catalog, sort_item
    from quizzes.progress.review_queue import schedule
    from study.models import Service

    item = sort_item(Catalog(), Service.objects.get(slug="ec2").pk, random.Random(3))
    first = next(iter(item.key["correct"]))
    placed = dict(item.key["correct"])
    placed[first] = next(owner for owner in ("aws", "customer", "shared") if owner != placed[first])
    now = timezone.now()
    schedule(user=learner, item=item, grade=item.grade({"cards": placed}), confidence="sure", now=now)
    review = ReviewItem.objects.get()
    assert (review.duty_id, review.service_id, review.box, review.lapses) == (
        item.key["duties"][first],
        item.service_id,
        1,
        1,
    )


def cards_answer(item, wrong_cards):
    flip = {"aws": "customer", "customer": "aws", "shared": "aws"}
    return {"cards": {card: flip[o] if card in wrong_cards else o for card, o in item.key["correct"].items()}}


def test_every_card_of_a_sort_item_is_scheduled_after_a_known_or_graduated_one(learner, quiz_content):
    import random

    from quizzes.bank.drawing import Catalog, sort_item
    from quizzes.progress.review_queue import schedule
    from study.models import Service

    item = sort_item(Catalog(), Service.objects.get(slug="ec2").pk, random.Random(3))
    _first, second, third, _fourth = item.key["correct"]
    duties = item.key["duties"]
    now = timezone.now()
    ReviewItem.objects.create(
        user=learner, key=f"d:{duties[second]}:{item.service_id}", duty_id=duties[second], service_id=item.service_id,
        box=5, due_at=now, last_reviewed_at=now,
    )  # fmt: skip
    # The first card is known and new (nothing to review), the second graduates, the third is missed.
    grade = item.grade(cards_answer(item, {third}))
    schedule(user=learner, item=item, grade=grade, confidence="sure", now=now)
    assert list(ReviewItem.objects.values_list("duty_id", "box", "lapses")) == [(duties[third], 1, 1)]


def test_a_sort_answer_over_queued_and_new_cards_is_one_write(learner, quiz_content, django_assert_num_queries):
    """Cards already in the queue and cards not yet in it are written together: the answer's cost does
    not depend on what the learner happened to miss before (make bench bounds the answer POST)."""
    import random

    from quizzes.bank.drawing import Catalog, sort_item
    from quizzes.progress.review_queue import schedule
    from study.models import Service

    item = sort_item(Catalog(), Service.objects.get(slug="ec2").pk, random.Random(3))
    first, second, third, fourth = item.key["correct"]
    duties = item.key["duties"]
    earlier, now = timezone.now() - timedelta(days=2), timezone.now()
    for card in (first, second):
        ReviewItem.objects.create(
            user=learner, key=f"d:{duties[card]}:{item.service_id}", duty_id=duties[card],
            service_id=item.service_id, box=3, lapses=2, due_at=earlier, last_reviewed_at=earlier,
        )  # fmt: skip
    grade = item.grade(cards_answer(item, {first, second, third, fourth}))
    with django_assert_num_queries(2):  # read the queued keys, write every card
        schedule(user=learner, item=item, grade=grade, confidence="sure", now=now)
    rows = {duty: (box, lapses, last) for duty, box, lapses, last in ReviewItem.objects.values_list(
        "duty_id", "box", "lapses", "last_reviewed_at")}  # fmt: skip
    assert rows == {
        duties[first]: (1, 3, now),
        duties[second]: (1, 3, now),
        duties[third]: (1, 1, now),
        duties[fourth]: (1, 1, now),
    }
    assert ReviewItem.objects.count() == 4
