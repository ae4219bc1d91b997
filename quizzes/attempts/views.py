from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes.attempts import feedback, services
from quizzes.attempts.forms import AnswerForm
from quizzes.bank.recent import recently_asked
from quizzes.models import Attempt, AttemptItem, Kind, Quiz
from quizzes.progress import review_queue

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
        "quizzes": Quiz.objects.published().prefetch_related("rules"),
        "unfinished": [attempt for attempt in unfinished if not attempt.is_finished],
        "queue": review_queue.status(request.user) if request.user.is_authenticated else None,
        "nav": "quizzes",
    }
    return render(request, "quizzes/quiz_list.html", context)


@require_POST
def start_quiz(request, slug):
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    is_review = quiz.source == Quiz.Source.REVIEW
    if is_review and not request.user.is_authenticated:
        messages.info(request, "Log in to review your mistakes: the review queue belongs to your account.")
        return redirect(f"{reverse('login')}?next={reverse('quizzes:list')}")
    in_progress = owned_attempts(request).unfinished().filter(quiz=quiz, retry_of__isnull=True).first()
    if in_progress and not services.expire_if_due(in_progress).is_finished:
        messages.info(request, "You already have an attempt of this quiz in progress: here it is.")
        return redirect(in_progress)
    recent = None if is_review else recently_asked(owned_attempts(request))
    token = ""
    if not request.user.is_authenticated:
        token = services.new_anonymous_token()
        request.session[SESSION_TOKENS] = [*request.session.get(SESSION_TOKENS, []), token][-MAX_SESSION_TOKENS:]
    try:
        attempt = services.start_attempt(
            quiz=quiz,
            user=request.user,
            anonymous_token=token,
            recent=recent,
            include_waiting=is_review and request.POST.get("include_waiting") == "1",
        )
    except services.NothingToAsk:
        if is_review:
            messages.info(request, f"Nothing to review right now. {review_queue.status(request.user).describe()}")
        else:
            messages.info(request, "There is nothing to ask in this quiz right now.")
        return redirect("quizzes:list")
    if attempt.item_count < quiz.planned_count and not is_review:
        messages.info(
            request,
            f"This quiz asks for {quiz.planned_count} questions, but the bank can fill only "
            f"{attempt.item_count} of them now, so this attempt has {attempt.item_count}.",
        )
    return redirect(attempt)


def attempt_detail(request, pk):
    """Send the learner to where they left off: the first unanswered question, or the results."""
    attempt = get_attempt(request, pk)
    if attempt.is_finished:
        return redirect("quizzes:results", pk=attempt.pk)
    unanswered = attempt.items.filter(answer__isnull=True).order_by("position").first()
    if unanswered is None:
        return redirect("quizzes:review", pk=attempt.pk)
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
    return render_question(request, attempt, item, items, answer_form(attempt, item))


def answer_form(attempt, item, data=None):
    # An exam question shows the answer saved before, and may be left blank to come back to.
    stored = item.answer_or_none if attempt.answers_can_change else None
    return AnswerForm(item, data, stored=stored, blank_allowed=attempt.is_exam)


EXAM_ACTIONS = {"next", "save", "flag", "unflag", "review"}


def answer_question(request, attempt, item, items):
    if attempt.is_finished:
        messages.error(request, "This attempt is finished, so its answers can no longer change.")
        return redirect("quizzes:results", pk=attempt.pk)
    form = answer_form(attempt, item, request.POST)
    if not form.is_valid():
        return render_question(request, attempt, item, items, form, status=400)
    action = request.POST.get("action") if attempt.is_exam else "check"
    if attempt.is_exam and action not in EXAM_ACTIONS:
        action = "next"
    response = form.response()
    try:
        if response is not None:
            services.record_answer(
                attempt=attempt, item=item, response=response, confidence=form.cleaned_data["confidence"]
            )
        if action in ("flag", "unflag"):
            services.flag_item(attempt=attempt, item=item, flagged=action == "flag")
    except services.AnswerRefused as refusal:
        messages.warning(request, str(refusal))
        return redirect(attempt)
    if action == "review" or (action == "next" and item.number == len(items)):
        return redirect("quizzes:review", pk=attempt.pk)
    if action == "next":
        return redirect("quizzes:question", pk=attempt.pk, number=item.number + 1)
    if action == "save":
        messages.success(request, "Answer saved." if response is not None else "Nothing chosen, so nothing saved.")
    return redirect("quizzes:question", pk=attempt.pk, number=item.number)


def render_question(request, attempt, item, items, form, status=200):
    answer = item.answer_or_none
    shown_feedback = None
    if answer and not attempt.is_exam:
        shown_feedback = feedback.build(item, answer, feedback.misconceptions_for([answer]))
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "item": item,
        "items": items,
        "answer": answer,
        "feedback": shown_feedback,
        "form": form,
        "show_form": attempt.answers_can_change or answer is None,
        "answered_count": sum(1 for other in items if other.answer_or_none),
        "flagged_count": sum(1 for other in items if other.flagged),
        "previous_number": item.number - 1 if item.number > 1 else None,
        "next_number": item.number + 1 if item.number < len(items) else None,
        "is_sort": item.kind == Kind.SORT,
        "seconds_left": attempt.seconds_left(),
        "nav": "quizzes",
    }
    return render(request, "quizzes/question.html", context, status=status)


def review(request, pk):
    """Before finishing: every question answered or not, and flagged or not, each a link; the
    confirmation to finish with unanswered questions is asked here, so it works without JavaScript."""
    attempt = get_attempt(request, pk)
    if attempt.is_finished:
        return redirect("quizzes:results", pk=attempt.pk)
    items = items_with_answers(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "unanswered": [item for item in items if item.answer_or_none is None],
        "flagged": [item for item in items if item.flagged],
        "answered_count": sum(1 for item in items if item.answer_or_none),
        "seconds_left": attempt.seconds_left(),
        "nav": "quizzes",
    }
    return render(request, "quizzes/review.html", context)


@require_POST
def finish(request, pk):
    attempt = get_attempt(request, pk)
    if not attempt.is_finished:
        unanswered = attempt.items.filter(answer__isnull=True).count()
        if unanswered and request.POST.get("confirm") != "unanswered":
            messages.warning(
                request,
                f"{pluralize_questions(unanswered)} not answered yet. Answer them, or confirm below that "
                "you want to finish: an unanswered question scores nothing.",
            )
            return redirect("quizzes:review", pk=attempt.pk)
        services.finish_attempt(attempt=attempt)
    return redirect("quizzes:results", pk=attempt.pk)


def pluralize_questions(count):
    return "1 question is" if count == 1 else f"{count} questions are"


def results(request, pk):
    attempt = get_attempt(request, pk)
    if not attempt.is_finished:
        messages.info(request, "Finish the attempt to see its results.")
        return redirect(attempt)
    items = items_with_answers(attempt)
    misconceptions = feedback.misconceptions_for([item.answer_or_none for item in items])
    for item in items:
        item.feedback = feedback.build(item, item.answer_or_none, misconceptions)
    missed = [item for item in items if services.item_was_missed(item)]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "answered": sum(1 for item in items if item.answer_or_none),
        "missed_count": len(missed),
        "unanswered_count": sum(1 for item in missed if item.answer_or_none is None),
        "planned_count": attempt.quiz.planned_count,
        "breakdown": feedback.breakdown(items),
        "queue": review_queue.status(request.user) if request.user.is_authenticated else None,
        "nav": "quizzes",
    }
    return render(request, "quizzes/results.html", context)


@require_POST
def retry(request, pk):
    """A practice attempt of the questions this attempt missed, now (besides the spaced queue)."""
    attempt = get_attempt(request, pk)
    if not attempt.is_finished:
        messages.info(request, "Finish the attempt first; then you can retry the questions you missed.")
        return redirect(attempt)
    running = attempt.retries.unfinished().first()
    if running:
        messages.info(request, "You are already retrying these questions: here is where you left off.")
        return redirect(running)
    try:
        again = services.start_retry(attempt=attempt)
    except services.NothingToAsk:
        messages.info(request, "Nothing to retry: you got every question right.")
        return redirect("quizzes:results", pk=attempt.pk)
    return redirect(again)


def discard(request, pk):
    """Ask, then delete an unfinished attempt, so that it counts nowhere."""
    attempt = get_attempt(request, pk)
    if attempt.is_finished:
        messages.info(request, "This attempt is finished: it stays in your history.")
        return redirect("quizzes:results", pk=attempt.pk)
    if request.method == "POST":
        services.discard_attempt(attempt=attempt)
        messages.success(request, f"The attempt of “{attempt.title}” was discarded.")
        return redirect("quizzes:list")
    answered = attempt.answers.count()
    return render(request, "quizzes/discard.html", {"attempt": attempt, "answered": answered, "nav": "quizzes"})
