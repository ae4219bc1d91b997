"""The shipped written bank, measured: a test-wise learner must not score by picking the longest
option, and no two questions may ask the same thing in nearly the same words."""

from difflib import SequenceMatcher
from itertools import combinations

import pytest

from quizzes.models import Kind, Question

pytestmark = pytest.mark.django_db

MAX_SHARE_KEY_IS_LONGEST = 0.40
NEAR_DUPLICATE = 0.85


def test_the_key_is_the_longest_option_in_at_most_40_percent_of_single_choice_questions(quiz_content):
    questions = list(Question.objects.published().filter(kind=Kind.SINGLE).prefetch_related("choices"))
    assert len(questions) >= 20
    longest = 0
    for question in questions:
        choices = list(question.choices.all())
        key = next(choice for choice in choices if choice.is_correct)
        longest += len(key.text) >= max(len(choice.text) for choice in choices)
    share = longest / len(questions)
    assert share <= MAX_SHARE_KEY_IS_LONGEST, f"the key is the longest option in {longest} of {len(questions)}"


def test_no_two_published_questions_are_near_duplicates(quiz_content):
    prompts = dict(Question.objects.published().values_list("slug", "prompt"))
    assert len(prompts) >= 50
    close = [
        (first, second, round(ratio, 2))
        for (first, a), (second, b) in combinations(sorted(prompts.items()), 2)
        if (ratio := SequenceMatcher(None, a.lower(), b.lower()).ratio()) >= NEAR_DUPLICATE
    ]
    assert close == []
