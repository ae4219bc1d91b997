"""Item statistics on a small example computed by hand, the page's permissions, and its query
count at two data sizes."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from quizzes.bank.drawing import choice_key
from quizzes.instructor.statistics import (
    DISCRIMINATES_POORLY,
    MIN_ANSWERS_FOR_FLAGS,
    TOO_EASY,
    TOO_HARD,
    misconception_statistics,
    question_statistics,
)
from quizzes.models import Answer, Attempt, AttemptItem, Choice, Kind, Question, Quiz
from quizzes.seeding import seed_bank
from study.models import Lesson, Misconception

pytestmark = pytest.mark.django_db
URL = "/admin/quizzes/question/statistics/"
# Session, user, two permission lookups, six figures, the lesson filter: 11 whatever the data size.
QUERY_BOUND = 11


class Builder:
    """Attempts made row by row: each item is (question or None, score, seconds, response, misconception)."""

    def __init__(self):
        self.quiz = Quiz.objects.create(slug="stats", title="Stats")
        self.now = timezone.now()

    def attempt(self, user, items, *, finished=True):
        total = sum(score for _question, score, *_rest in items)
        attempt = Attempt.objects.create(
            quiz=self.quiz,
            user=user,
            mode=Quiz.Mode.PRACTICE,
            pass_mark=70,
            item_count=len(items),
            score=100 * total / len(items) if finished else None,
            finished_at=self.now if finished else None,
        )
        for position, (question, score, seconds, response, misconception) in enumerate(items):
            kind = question.kind if question else Kind.OWNER
            item = AttemptItem.objects.create(
                attempt=attempt, position=position, kind=kind, question=question, skill="aws", prompt="p"
            )
            Answer.objects.create(
                item=item,
                attempt=attempt,
                response=response,
                score=score,
                is_correct=score == 1,
                seconds_taken=seconds,
                misconception=misconception,
            )
        return attempt


def question(slug, kind, choices=()):
    made = Question.objects.create(slug=slug, kind=kind, prompt=slug, skill="aws", status="published")
    keys = {}
    for position, (text, correct) in enumerate(choices):
        choice = Choice.objects.create(question=made, position=position, text=text, is_correct=correct)
        keys[text] = choice_key(choice.pk)
    return made, keys


@pytest.fixture
def example(make_learner):
    """Five finished attempts of five items each (A single, B true/false, C sort, D multiple, F a
    catalog item), a sixth with question E, and an unfinished one that must not count.

    Scores per attempt 1..5:   A 1 1 1 0 0 | B 1 1 1 1 1 | C .5 .25 0 0 0 | D 0 1 0 1 1 | F 1 1 1 0 0
    Totals T: 3.5 4.25 3 2 2, so the attempt scores are 70 85 60 40 40 percent."""
    build = Builder()
    a, a_keys = question("a", Kind.SINGLE, [("AWS", True), ("The customer", False), ("Nobody", False)])
    b, b_keys = question("b", Kind.TRUE_FALSE, [("True", True), ("False", False)])
    c, _ = question("c", Kind.SORT)
    d, d_keys = question("d", Kind.MULTIPLE, [("D1", True), ("D2", True), ("D3", False), ("D4", False)])
    e, e_keys = question("e", Kind.SINGLE, [("E1", True), ("E2", False)])
    m1 = Misconception.objects.create(slug="m1", belief="The customer patches the hypervisor", correction="No")
    m2 = Misconception.objects.create(slug="m2", belief="D3 is right", correction="No")
    users = [make_learner(f"u{number}") for number in range(1, 7)]

    def choose(*keys):
        return {"choices": list(keys)}

    right_a, wrong_a = choose(a_keys["AWS"]), choose(a_keys["The customer"])
    right_d, wrong_d = choose(d_keys["D1"], d_keys["D2"]), [d_keys["D3"], d_keys["D1"]]
    sort = {"cards": {}}
    rows = [
        # A, B, C, D, F per attempt: (question, score, seconds, response, misconception)
        [(a, 1, 10, right_a, None), (b, 1, 5, choose(b_keys["True"]), None), (c, 0.5, None, sort, None),
         (d, 0, 12, choose(*wrong_d), m2), (None, 1, None, choose("aws"), None)],
        [(a, 1, 30, right_a, None), (b, 1, 7, choose(b_keys["True"]), None), (c, 0.25, None, sort, None),
         (d, 1, 12, right_d, None), (None, 1, None, choose("aws"), None)],
        [(a, 1, 20, right_a, None), (b, 1, None, choose(b_keys["True"]), None), (c, 0, None, sort, None),
         (d, 0, 15, choose(*reversed(wrong_d)), m2), (None, 1, None, choose("aws"), None)],
        [(a, 0, 50, wrong_a, m1), (b, 1, 9, choose(b_keys["True"]), None), (c, 0, None, sort, None),
         (d, 1, 3, right_d, None), (None, 0, None, choose("customer"), m1)],
        [(a, 0, 40, wrong_a, m1), (b, 1, 11, choose(b_keys["True"]), None), (c, 0, None, sort, None),
         (d, 1, 100, right_d, None), (None, 0, None, choose("customer"), None)],
    ]  # fmt: skip
    attempts = [build.attempt(user, items) for user, items in zip(users, rows, strict=False)]
    assert [attempt.score for attempt in attempts] == [70, 85, 60, 40, 40]
    build.attempt(users[5], [(e, 0, 6, choose(e_keys["E2"]), None), (None, 1, None, choose("aws"), None)])
    # Unfinished: a wrong, slow answer to A with a misconception, which no figure may count.
    build.attempt(users[3], [(a, 0, 1000, wrong_a, m1), (None, 0, None, choose("aws"), None)], finished=False)
    return {"build": build, "questions": {q.slug: q for q in (a, b, c, d, e)}}


def by_slug(rows):
    return {row.question.slug: row for row in rows}


def test_facility_is_the_mean_score_of_answers_in_finished_attempts(example):
    rows = by_slug(question_statistics())
    assert {slug: row.answers for slug, row in rows.items()} == {"a": 5, "b": 5, "c": 5, "d": 5, "e": 1}
    assert rows["a"].facility == pytest.approx(0.6)
    assert rows["b"].facility == pytest.approx(1.0)
    assert rows["c"].facility == pytest.approx(0.15)  # (0.5 + 0.25) / 5: sort items earn partial credit
    assert rows["d"].facility == pytest.approx(0.6)
    assert rows["e"].facility == pytest.approx(0.0)


def test_discrimination_is_the_item_rest_correlation(example):
    rows = by_slug(question_statistics())
    # A: x = 1 1 1 0 0; rest R = T - x = 2.5 3.25 2 2 2, taken as w = 4R = 10 13 8 8 8 (r ignores scale).
    # n = 5, Σx = 3, Σw = 47, Σxw = 31, Σx² = 3, Σw² = 461.
    # r = (5·31 - 3·47) / √((5·3 - 9)(5·461 - 47²)) = 14 / √(6 · 96) = 14 / 24.
    assert rows["a"].discrimination == pytest.approx(14 / 24)
    # C: x = .5 .25 0 0 0 as u = 4x = 2 1 0 0 0; R = 3 4 3 2 2. Σu = 3, ΣR = 14, ΣuR = 10, Σu² = 5, ΣR² = 42.
    # r = (50 - 42) / √((25 - 9)(210 - 196)) = 8 / √224.
    assert rows["c"].discrimination == pytest.approx(0.534522, abs=1e-6)
    # D: x = 0 1 0 1 1; R = 3.5 3.25 3 1 1 as w = 14 13 12 4 4. Σw = 47, Σxw = 21, Σw² = 541.
    # r = (105 - 141) / √(6 · (2705 - 2209)) = -36 / √2976.
    assert rows["d"].discrimination == pytest.approx(-0.659912, abs=1e-6)
    assert rows["b"].discrimination is None  # everyone right: no spread in x
    assert rows["e"].discrimination is None  # one answer


def test_most_chosen_wrong_answer_names_the_choices(example):
    rows = by_slug(question_statistics())
    assert (rows["a"].top_wrong, rows["a"].top_wrong_count) == ("The customer", 2)
    # The same combination submitted in two orders is one answer.
    assert (rows["d"].top_wrong, rows["d"].top_wrong_count) == ("D1 + D3", 2)
    assert (rows["e"].top_wrong, rows["e"].top_wrong_count) == ("E2", 1)
    assert rows["b"].top_wrong is None
    assert rows["c"].top_wrong is None  # sort: card keys are shuffled per attempt


def test_median_seconds_takes_the_middle_of_odd_and_even_counts(example):
    rows = by_slug(question_statistics())
    assert rows["a"].median_seconds == 30  # 10 20 30 40 50 (the unfinished 1000 is left out)
    assert rows["b"].median_seconds == 8  # 5 7 9 11, one untimed
    assert rows["d"].median_seconds == 12  # 3 12 12 15 100
    assert rows["e"].median_seconds == 6
    assert rows["c"].median_seconds is None


def test_flags_follow_the_thresholds_once_there_are_enough_answers(example):
    assert MIN_ANSWERS_FOR_FLAGS == 5
    rows = by_slug(question_statistics())
    assert {slug: row.flags for slug, row in rows.items()} == {
        "a": [],
        "b": [TOO_EASY],
        "c": [TOO_HARD],
        "d": [DISCRIMINATES_POORLY],
        "e": [],  # facility 0, but a single answer
    }
    assert [row.question.slug for row in question_statistics(flagged_only=True)] == ["b", "c", "d"]
    assert [row.question.slug for row in question_statistics(kind=Kind.SINGLE, order="answers")] == ["a", "e"]


def test_misconceptions_count_wrong_answers_and_distinct_learners(example):
    counts = {row["misconception__slug"]: (row["answers"], row["learners"]) for row in misconception_statistics()}
    # m1: A by u4 and u5 and the catalog item by u4; the unfinished attempt's answer is left out.
    assert counts == {"m1": (3, 2), "m2": (2, 2)}


def test_page_shows_the_figures_with_links_to_the_questions(instructor_client, example):
    response = instructor_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/admin/quizzes/question/{example['questions']['a'].pk}/change/" in html
    assert "0.58" in html and "D1 + D3 (2)" in html and "discriminates poorly" in html
    assert f"at least {MIN_ANSWERS_FOR_FLAGS} answers" in html
    assert "The customer patches the hypervisor" in html
    flagged = instructor_client.get(URL, {"flagged": "1"}).content.decode()
    assert f"/admin/quizzes/question/{example['questions']['a'].pk}/change/" not in flagged


def test_page_filters_by_lesson_and_ignores_unknown_values(instructor_client, example):
    lesson = Lesson.objects.create(slug="l", title="L", summary="s", body="b")
    Question.objects.filter(slug="a").update(lesson=lesson)
    links = {slug: f"/admin/quizzes/question/{q.pk}/change/" for slug, q in example["questions"].items()}
    html = instructor_client.get(URL, {"lesson": lesson.pk}).content.decode()
    assert [slug for slug, link in links.items() if link in html] == ["a"]
    for stray in ("abc", "99999999999999999999999", "²"):
        html = instructor_client.get(URL, {"lesson": stray, "kind": stray, "order": stray}).content.decode()
        assert all(link in html for link in links.values())


@pytest.fixture
def staff_without_permission(django_user_model):
    return django_user_model.objects.create_user(username="staff", password="x-correct-horse-9", is_staff=True)


def test_anonymous_and_learners_are_sent_to_the_admin_login(client, learner):
    assert client.get(URL)["Location"].startswith("/admin/login/")
    client.force_login(learner)
    assert client.get(URL)["Location"].startswith("/admin/login/")


def test_staff_need_the_statistics_permission(client, staff_without_permission, superuser):
    client.force_login(staff_without_permission)
    assert client.get(URL).status_code == 403
    staff_without_permission.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    assert client.get(URL).status_code == 200
    client.force_login(superuser)
    assert client.get(URL).status_code == 200


def seed(questions, attempts, per_attempt, make_learner):
    """`attempts` finished attempts of `per_attempt` answers over `questions`, in bulk."""
    quiz = Quiz.objects.create(slug=f"seed-{attempts}", title="Seed")
    user = make_learner()
    made = Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            user=user,
            mode=Quiz.Mode.PRACTICE,
            pass_mark=70,
            item_count=per_attempt,
            score=50,
            finished_at=timezone.now(),
        )
        for _ in range(attempts)
    )
    items = AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, position=position, kind=Kind.SINGLE, question=q, skill="aws", prompt="p")
        for attempt in made
        for position, q in enumerate(questions[:per_attempt])
    )
    choices = {q.pk: list(q.choices.values_list("pk", flat=True)) for q in questions}
    Answer.objects.bulk_create(
        Answer(
            item=item,
            attempt=item.attempt,
            response={"choices": [choice_key(choices[item.question_id][index % 4])]},
            score=1.0 if index % 4 == 0 else 0.0,
            is_correct=index % 4 == 0,
            seconds_taken=index % 50,
        )
        for index, item in enumerate(items)
    )


@pytest.mark.parametrize(("attempts", "per_attempt"), [(2, 10), (40, 10)], ids=["20 answers", "400 answers"])
def test_page_query_count_does_not_grow_with_the_answers(
    instructor_client, make_learner, django_assert_max_num_queries, attempts, per_attempt
):
    seed(seed_bank(per_attempt), attempts, per_attempt, make_learner)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = instructor_client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("/change/") >= per_attempt
