from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes.attempts import feedback, services
from quizzes.attempts.forms import AnswerForm
from quizzes.models import Attempt, AttemptItem, Kind, Quiz

SESSION_TOKENS = "quiz_tokens"
MAX_SESSION_TOKENS = 50


# --- ownership ------------------------------------------------------------------------------------


def owned_attempts(request):
    """The attempts this visitor may see: their account's, or their session's when anonymous."""
    if request.user.is_authenticated:
        return Attempt.objects.filter(user=request.user)
    tokens = request.session.get(SESSION_TOKENS, [])
    return Attempt.objects.filter(user__isnull=True, anonymous_token__in=tokens)


def get_attempt(request, pk):
    attempt = get_object_or_404(owned_attempts(request).select_related("quiz"), pk=pk)
    return services.expire_if_due(attempt)


def claim_session_attempts(sender, request, user, **kwargs):
    """On login or sign-up, an anonymous visitor's attempts move to the account."""
    tokens = request.session.pop(SESSION_TOKENS, [])
    if tokens:
        services.claim_anonymous_attempts(user=user, tokens=tokens)


def items_with_answers(attempt):
    # An item has at most one answer, so it comes in the items' own query (a LEFT JOIN).
    items = list(attempt.items.select_related("lesson", "service", "duty", "answer"))
    for item in items:
        item.answer_or_none = getattr(item, "answer", None)
    return items


# --- quizzes ---------------------------------------------------------------------------------------


def quiz_list(request):
    unfinished = [
        services.expire_if_due(attempt) for attempt in owned_attempts(request).unfinished().select_related("quiz")
    ]
    context = {
        "quizzes": Quiz.objects.published(),
        "unfinished": [attempt for attempt in unfinished if not attempt.is_finished],
        "nav": "quizzes",
    }
    return render(request, "quizzes/quiz_list.html", context)


@require_POST
def start_quiz(request, slug):
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    if quiz.source == Quiz.Source.REVIEW and not request.user.is_authenticated:
        messages.info(request, "Log in to review your mistakes: the review queue belongs to your account.")
        return redirect(f"{reverse('login')}?next={reverse('quizzes:list')}")
    in_progress = owned_attempts(request).unfinished().filter(quiz=quiz).first()
    if in_progress and not services.expire_if_due(in_progress).is_finished:
        messages.info(request, "You already have an attempt of this quiz in progress: here it is.")
        return redirect(in_progress)
    token = ""
    if not request.user.is_authenticated:
        token = services.new_anonymous_token()
        request.session[SESSION_TOKENS] = [*request.session.get(SESSION_TOKENS, []), token][-MAX_SESSION_TOKENS:]
    try:
        attempt = services.start_attempt(quiz=quiz, user=request.user, anonymous_token=token)
    except services.NothingToAsk:
        messages.info(
            request,
            "There is nothing to ask in this quiz right now."
            + (" Your review queue has nothing due: well done." if quiz.source == Quiz.Source.REVIEW else ""),
        )
        return redirect("quizzes:list")
    return redirect(attempt)


def attempt_detail(request, pk):
    """Send the learner to where they left off: the first unanswered question, or the results."""
    attempt = get_attempt(request, pk)
    if attempt.is_finished:
        return redirect("quizzes:results", pk=attempt.pk)
    unanswered = attempt.items.filter(answer__isnull=True).order_by("position").first()
    if unanswered is None:
        return redirect("quizzes:question", pk=attempt.pk, number=attempt.item_count)
    return redirect("quizzes:question", pk=attempt.pk, number=unanswered.number)


def question(request, pk, number):
    attempt = get_attempt(request, pk)
    if attempt.is_finished and request.method != "POST":
        return redirect("quizzes:results", pk=attempt.pk)
    items = items_with_answers(attempt)
    if not 1 <= number <= len(items):
        raise Http404("No such question in this attempt.")
    item = items[number - 1]
    if request.method == "POST":
        return answer_question(request, attempt, item, items)
    if item.shown_at is None:
        AttemptItem.objects.filter(pk=item.pk, shown_at__isnull=True).update(shown_at=timezone.now())
    return render_question(request, attempt, item, items, AnswerForm(item))


def answer_question(request, attempt, item, items):
    if attempt.is_finished:
        messages.error(request, "This attempt is finished, so its answers can no longer change.")
        return redirect("quizzes:results", pk=attempt.pk)
    form = AnswerForm(item, request.POST)
    if not form.is_valid():
        return render_question(request, attempt, item, items, form, status=400)
    try:
        services.record_answer(
            attempt=attempt, item=item, response=form.response(), confidence=form.cleaned_data["confidence"]
        )
    except services.AnswerRefused as refusal:
        messages.warning(request, str(refusal))
        return redirect(attempt)
    if attempt.is_exam:
        next_item = next((other for other in items if other.answer_or_none is None and other.pk != item.pk), None)
        if next_item is None:
            return redirect("quizzes:question", pk=attempt.pk, number=item.number)
        return redirect("quizzes:question", pk=attempt.pk, number=next_item.number)
    return redirect("quizzes:question", pk=attempt.pk, number=item.number)


def render_question(request, attempt, item, items, form, status=200):
    answer = item.answer_or_none
    shown_feedback = None
    if answer and not attempt.is_exam:
        shown_feedback = feedback.build(item, answer, feedback.misconceptions_for([answer]))
    answered_count = sum(1 for other in items if other.answer_or_none)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "item": item,
        "items": items,
        "answer": answer,
        "feedback": shown_feedback,
        "form": form,
        "answered_count": answered_count,
        "previous_number": item.number - 1 if item.number > 1 else None,
        "next_number": item.number + 1 if item.number < len(items) else None,
        "is_sort": item.kind == Kind.SORT,
        "seconds_left": attempt.seconds_left(),
        "nav": "quizzes",
    }
    return render(request, "quizzes/question.html", context, status=status)


@require_POST
def finish(request, pk):
    attempt = get_attempt(request, pk)
    services.finish_attempt(attempt=attempt)
    return redirect("quizzes:results", pk=attempt.pk)


def results(request, pk):
    attempt = get_attempt(request, pk)
    if not attempt.is_finished:
        messages.info(request, "Finish the attempt to see its results.")
        return redirect(attempt)
    items = items_with_answers(attempt)
    misconceptions = feedback.misconceptions_for([item.answer_or_none for item in items])
    for item in items:
        item.feedback = feedback.build(item, item.answer_or_none, misconceptions)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "answered": sum(1 for item in items if item.answer_or_none),
        "breakdown": feedback.breakdown(items),
        "nav": "quizzes",
    }
    return render(request, "quizzes/results.html", context)
