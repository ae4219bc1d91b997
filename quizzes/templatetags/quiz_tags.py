from dataclasses import dataclass

from django import template

register = template.Library()


@register.filter
def format_duration(delta):
    """A timedelta as '12 min 5 s' (or '1 h 3 min')."""
    return seconds_as_duration(delta.total_seconds())


@register.filter
def seconds_as_duration(seconds):
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"


@dataclass(frozen=True)
class ItemStatus:
    slug: str
    symbol: str
    label: str


UNANSWERED = ItemStatus("unanswered", "", "not answered")
EXAM_STATUSES = {True: ItemStatus("answered", "●", "answered"), False: ItemStatus("unanswered", "○", "not answered")}


@register.simple_tag
def item_status(attempt, item):
    """What the question navigation says of an item: in an exam only whether it is answered (right
    or wrong stays hidden until the end); in practice, once answered, whether it was right, in a
    symbol and in words, never in colour alone."""
    answer = item.answer_or_none
    if attempt.is_exam:
        return EXAM_STATUSES[answer is not None]
    if answer is None:
        return UNANSWERED
    if answer.is_correct:
        return ItemStatus("right", "✔", "right")
    if answer.score > 0:
        return ItemStatus("partial", "◐", "partly right")
    return ItemStatus("wrong", "✘", "wrong")
