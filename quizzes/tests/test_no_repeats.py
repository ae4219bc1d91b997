"""What one attempt asks does not repeat itself (no duty twice), and a new attempt asks what the
learner was not asked lately, where the bank allows; the review quiz can ask what is not due yet."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.bank.drawing import Catalog, RecentlyAsked, build_items, draw, recently_asked, review_candidates
from quizzes.models import Attempt, AttemptItem, Kind, Question, Quiz, ReviewItem, SelectionRule
from quizzes.seeding import seed_bank
from study.models import Service

pytestmark = pytest.mark.django_db


def duties_in(attempt):
    """The duties the attempt's catalog items ask (each time asked: an owner item's duty, a sort
    card, a right option), those it shows as distractors, those its owner and sort items ask, and
    its written questions' tags."""
    asked, distractors, by_owner_or_sort, tagged = [], set(), set(), set()
    for item in attempt.items.select_related("question").prefetch_related("question__duties"):
        if item.question_id:
            tagged |= {duty.pk for duty in item.question.duties.all()}
        elif item.kind == Kind.OWNER:
            asked.append(item.duty_id)
            by_owner_or_sort.add(item.duty_id)
        elif item.kind == Kind.SORT:
            asked += list(item.key["duties"].values())
            by_owner_or_sort |= set(item.key["duties"].values())
        else:  # an exam-format item: its right options are asked, the others shown
            assert item.kind in (Kind.SINGLE, Kind.MULTIPLE)
            duties = item.key["duties"]
            asked += [duties[key] for key in item.key["correct"]]
            distractors |= {duty for key, duty in duties.items() if key not in item.key["correct"]}
    return asked, distractors, by_owner_or_sort, tagged


def drawn_attempt(quiz, seed, user, **options):
    rng = random.Random(seed)
    catalog, chosen = draw(quiz, rng=rng, user=user, **options)
    attempt = Attempt.objects.create(quiz=quiz, user=user, mode=quiz.mode, pass_mark=70, item_count=len(chosen))
    build_items(attempt, chosen, catalog, rng=rng, shuffle_choices=True)
    return attempt


def test_no_shipped_quiz_asks_a_duty_twice(learner, quiz_content):
    quizzes = list(Quiz.objects.filter(source=Quiz.Source.BANK))
    assert len(quizzes) >= 10
    for quiz in quizzes:
        for seed in range(20):
            attempt = drawn_attempt(quiz, seed, learner)
            asked, distractors, by_owner_or_sort, tagged = duties_in(attempt)
            assert len(asked) == len(set(asked)), (quiz.slug, seed)
            assert not set(asked) & distractors, (quiz.slug, seed)
            assert not by_owner_or_sort & tagged, (quiz.slug, seed)
            assert attempt.items.count() == attempt.item_count > 0


def test_a_rule_keeps_filling_from_its_pool_past_candidates_that_would_repeat_a_duty(learner, quiz_content):
    # Six sort items of four cards on one service after its owner items: every duty of EC2 is used
    # at most once, so the rules ask fewer than they would without the rule, but all they can.
    ec2 = Service.objects.get(slug="ec2")
    catalog = Catalog()
    on_ec2 = len(catalog.applicable(ec2.pk))
    quiz = Quiz.objects.create(slug="crowded", title="Crowded", shuffle_questions=False)
    owner_rule = SelectionRule.objects.create(quiz=quiz, position=0, count=on_ec2 - 4, kind=Kind.OWNER)
    owner_rule.services.add(ec2)
    sort_rule = SelectionRule.objects.create(quiz=quiz, position=1, count=3, kind=Kind.SORT)
    sort_rule.services.add(ec2)
    for seed in range(5):
        _catalog, chosen = draw(quiz, rng=random.Random(seed))
        rows = [candidate for candidate in chosen if candidate[0] == "row"]
        sorts = [candidate for candidate in chosen if candidate[0] == "sort"]
        assert len(rows) == on_ec2 - 4
        # One sort item from the four duties left (a second would need three more).
        assert len(sorts) == 1
        assert set(sorts[0][2]).isdisjoint(duty for _row, duty, _service in rows)
        assert len(sorts[0][2]) == 4


def test_a_written_question_is_passed_over_when_a_catalog_item_shows_its_duty(quiz_content):
    tagged = Question.objects.published().filter(kind=Kind.TRUE_FALSE, duties__isnull=False).first()
    duty = tagged.duties.first()
    quiz = Quiz.objects.create(slug="tagged", title="Tagged", shuffle_questions=False)
    SelectionRule.objects.create(quiz=quiz, position=0, count=200, kind=Kind.OWNER)
    SelectionRule.objects.create(quiz=quiz, position=1, count=200, kind=Kind.TRUE_FALSE)
    _catalog, chosen = draw(quiz, rng=random.Random(0))
    rows = {candidate[1] for candidate in chosen if candidate[0] == "row"}
    assert duty.pk in rows  # every duty is asked once as an owner item...
    assert ("q", tagged.pk) not in chosen  # ...so a question tagged with one of them is not asked
    untagged = set(
        Question.objects.published().filter(kind=Kind.TRUE_FALSE, duties__isnull=True).values_list("pk", flat=True)
    )
    assert {candidate[1] for candidate in chosen if candidate[0] == "q"} == untagged


# -- recently asked --------------------------------------------------------------------------------


def test_recently_asked_reads_the_last_three_attempts_in_one_query(learner, make_learner, quiz_content):
    catalog = Catalog()
    now = timezone.now()
    quiz = Quiz.objects.get(slug="quick-check")
    attempts = [
        drawn_attempt(quiz, seed, learner) for seed in range(4)
    ]  # started in this order; the first is the oldest
    for minutes, attempt in enumerate(attempts):
        Attempt.objects.filter(pk=attempt.pk).update(started_at=now + timedelta(minutes=minutes))
    drawn_attempt(quiz, 9, make_learner())  # someone else's

    with CaptureQueriesContext(connection) as queries:
        recent = recently_asked(Attempt.objects.filter(user=learner))
    assert len(queries) == 1

    expected_questions, expected_duties = set(), set()
    for item in AttemptItem.objects.filter(attempt__in=attempts[1:]):
        if item.question_id:
            expected_questions.add(item.question_id)
        elif item.kind == Kind.OWNER:
            expected_duties.add(item.duty_id)
        else:
            expected_duties |= set(item.key["duties"].values())
    assert recent == RecentlyAsked(question_ids=frozenset(expected_questions), duty_ids=frozenset(expected_duties))
    assert expected_questions and expected_duties
    assert all(duty in catalog.duties for duty in expected_duties)
    oldest_only = {item.question_id for item in attempts[0].items.all() if item.question_id} - expected_questions
    assert not oldest_only & recent.question_ids
    assert recently_asked(Attempt.objects.none()) == RecentlyAsked()
    assert not RecentlyAsked()


def test_recent_questions_come_after_fresh_ones_and_are_asked_when_the_fresh_run_out(quiz_content):
    statements = list(Question.objects.published().filter(kind=Kind.TRUE_FALSE).values_list("pk", flat=True))
    recent_ids, fresh_ids = set(statements[:10]), set(statements[10:])
    assert len(fresh_ids) >= 5
    recent = RecentlyAsked(question_ids=frozenset(recent_ids))
    quiz = Quiz.objects.create(slug="recent", title="Recent")
    rule = SelectionRule.objects.create(quiz=quiz, position=0, count=len(fresh_ids), kind=Kind.TRUE_FALSE)
    for seed in range(5):
        _catalog, chosen = draw(quiz, rng=random.Random(seed), recent=recent)
        assert {candidate[1] for candidate in chosen} == fresh_ids
    rule.count = len(fresh_ids) + 3
    rule.save()
    for seed in range(5):
        _catalog, chosen = draw(quiz, rng=random.Random(seed), recent=recent)
        asked = {candidate[1] for candidate in chosen}
        assert len(asked) == len(fresh_ids) + 3
        assert fresh_ids < asked
        assert len(asked & recent_ids) == 3
    # Without `recent`, the recent questions are as likely as the others.
    drawn = set()
    for seed in range(10):
        rule.count = 5
        rule.save()
        drawn |= {candidate[1] for candidate in draw(quiz, rng=random.Random(seed))[1]}
    assert drawn & recent_ids


def test_generated_items_prefer_duties_not_asked_recently(quiz_content):
    catalog = Catalog()
    ec2 = Service.objects.get(slug="ec2")
    rows = catalog.applicable(ec2.pk)
    quiz = Quiz.objects.create(slug="fresh-duties", title="Fresh duties")
    sort_rule = SelectionRule.objects.create(quiz=quiz, position=0, count=1, kind=Kind.SORT)
    sort_rule.services.add(ec2)
    pick_rule = SelectionRule.objects.create(quiz=quiz, position=1, count=1, kind=Kind.SINGLE, skill="customer")
    pick_rule.services.add(ec2)
    picked = 0
    for seed in range(8):
        rng = random.Random(seed)
        # Two fresh duties of each owner for the sort item, and a fresh right answer and distractors
        # for the pick item; every other duty of EC2 was asked lately.
        fresh = set()
        for owner, wanted in (("aws", 5), ("customer", 3), ("shared", 2)):
            fresh |= set(rng.sample([duty.pk for duty, row in rows if row.owner == owner], wanted))
        recent = RecentlyAsked(duty_ids=frozenset(duty.pk for duty, _row in rows) - fresh)
        _catalog, chosen = draw(quiz, rng=rng, recent=recent)
        (sort,) = [candidate for candidate in chosen if candidate[0] == "sort"]
        picks = [candidate for candidate in chosen if candidate[0] == "pick"]
        written = [candidate for candidate in chosen if candidate[0] == "q"]
        assert set(sort[2]) <= fresh
        assert len(sort[2]) == 4
        for pick in picks:
            assert {*pick[4], *pick[5]} <= fresh
        assert len(picks) + len(written) == 1
        picked += len(picks)
    assert picked


def test_the_review_quiz_ignores_recent(learner, quiz_content):
    now = timezone.now()
    question = Question.objects.published().filter(kind=Kind.SINGLE).first()
    ReviewItem.objects.create(user=learner, key="q:x", question=question, due_at=now, last_reviewed_at=now)
    review = Quiz.objects.get(slug="review-my-mistakes")
    recent = RecentlyAsked(question_ids=frozenset({question.pk}))
    assert draw(review, rng=random.Random(0), user=learner, recent=recent)[1] == [("q", question.pk)]


# -- the review quiz -------------------------------------------------------------------------------


@pytest.fixture
def queue(learner):
    now = timezone.now()

    def add(key, due_in, box=1, **target):
        return ReviewItem.objects.create(
            user=learner, key=key, due_at=now + due_in, last_reviewed_at=now, box=box, **target
        )

    return add


def test_the_review_quiz_can_ask_items_not_due_yet_soonest_first(learner, quiz_content, queue):
    # Written questions only: they may share duties, so none is passed over.
    single, later, latest, due = Question.objects.published()[:4]
    queue("q:latest", timedelta(days=3), question=latest)
    queue("q:single", timedelta(hours=1), question=single)
    queue("q:due", -timedelta(hours=1), question=due)
    queue("q:later", timedelta(days=1), question=later)
    catalog = Catalog()
    assert review_candidates(learner, 10, catalog) == [("q", due.pk)]
    waiting = [("q", due.pk), ("q", single.pk), ("q", later.pk), ("q", latest.pk)]
    assert review_candidates(learner, 10, catalog, include_waiting=True) == waiting
    assert review_candidates(learner, 2, catalog, include_waiting=True) == waiting[:2]
    review = Quiz.objects.get(slug="review-my-mistakes")
    assert draw(review, rng=random.Random(0), user=learner)[1] == [("q", due.pk)]
    assert draw(review, rng=random.Random(0), user=learner, include_waiting=True)[1] == waiting


def test_the_review_quiz_asks_no_duty_twice(learner, quiz_content, queue):
    catalog = Catalog()
    ec2, s3 = Service.objects.get(slug="ec2"), Service.objects.get(slug="s3")
    duty = next(duty for duty, _row in catalog.applicable(ec2.pk) if catalog.row(duty.pk, s3.pk))
    other = next(duty_ for duty_, _row in catalog.applicable(ec2.pk) if duty_ != duty and not duty_.questions.exists())
    tagged = Question.objects.published().filter(duties=duty).first()
    untagged = Question.objects.published().filter(duties__isnull=True).first()
    queue("d:ec2", -timedelta(hours=5), duty=duty, service=ec2)
    queue("d:s3", -timedelta(hours=4), duty=duty, service=s3)  # the same duty on another service
    queue("q:tagged", -timedelta(hours=3), question=tagged)  # tagged with it
    queue("d:other", -timedelta(hours=2), duty=other, service=ec2)
    queue("q:untagged", -timedelta(hours=1), question=untagged)
    assert review_candidates(learner, 10, catalog) == [
        ("row", duty.pk, ec2.pk),
        ("row", other.pk, ec2.pk),
        ("q", untagged.pk),
    ]


# -- cost ------------------------------------------------------------------------------------------


def test_a_draw_costs_the_same_few_queries_whatever_the_size_of_the_bank(learner, quiz_content):
    quizzes = list(Quiz.objects.filter(source=Quiz.Source.BANK))

    def queries_per_quiz():
        counts = {}
        for quiz in quizzes:
            with CaptureQueriesContext(connection) as queries:
                draw(quiz, rng=random.Random(0), user=learner, recent=RecentlyAsked(duty_ids=frozenset({1})))
            counts[quiz.slug] = len(queries)
        return counts

    small = queries_per_quiz()
    # The catalog (7), the rules (2), one per rule for its written questions, and the duty tags.
    assert all(count <= 8 + len(quiz.rules.all()) + 2 for quiz, count in zip(quizzes, small.values(), strict=True))
    seed_bank(300)
    assert queries_per_quiz() == small
