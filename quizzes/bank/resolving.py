"""No duty asked twice in one attempt: resolve each drawn candidate against the duties already in it.

An attempt that asks who patches the guest OS on EC2 and then shows "Patch the guest OS" as a sort
card, or as an option of an exam-format item, gives the first answer away (or asks the same thing
twice). So the draw takes candidates one at a time through a `Resolver`. A duty is *asked* by an
owner item, a sort card, or a right option of a pick item; it is *shown* as a pick item's
distractor. The Resolver:
- never asks a duty twice, nor asks one already shown as a distractor (that item said whose it is);
- never shows an asked duty as a distractor. A distractor may be shown again by another pick item:
  it says only that the duty is not the one asked about, and without repeats the catalog's 73
  duties could not fill a 65-question simulation (4 or 5 options per item);
- refuses a written question tagged (`Question.duties`) with a duty an owner or sort item asks, and
  keeps a written question's tags from later owner and sort items. Written questions and pick
  items do not block each other: tags are broad (one question carries up to five), the written
  exam-format questions tag 56 of the 73 duties, and a pick item asks a service-specific owner
  that no written question gives away. Two written questions may share a tag: they are written
  to ask different things.

Where it can choose, it prefers duties the learner was not asked recently (`RecentlyAsked`).
Resolved candidates carry their choices, so that freezing them (`quizzes/bank/items.py`) only
copies what was chosen:
- ("sort", service_id) becomes ("sort", service_id, card_duty_ids);
- ("pick", service_id, target, count) becomes (..., right_duty_ids, distractor_duty_ids).
"""

from quizzes.bank.exam_items import options_for, resolve_pick
from quizzes.bank.items import choose_sort_cards
from quizzes.bank.recent import RecentlyAsked
from quizzes.models import Question

MIN_SORT_CARDS = 3


class Resolver:
    def __init__(self, catalog, *, rng, recent=None):
        self.catalog = catalog
        self.rng = rng
        self.recent = recent or RecentlyAsked()
        self.asked = set()  # duties asked: owner items, sort cards, right options of pick items
        self.shown_wrong = set()  # duties shown as pick distractors
        self.asked_by_owner_or_sort = set()
        self.written_duties = set()  # duties tagged on the written questions taken
        self._tags = None

    @property
    def tags(self):
        """Duty tags of every published question, read once (one query) when first needed."""
        if self._tags is None:
            self._tags = {}
            pairs = Question.duties.through.objects.filter(question__status=Question.Status.PUBLISHED)
            for question_id, duty_id in pairs.values_list("question_id", "duty_id"):
                self._tags.setdefault(question_id, set()).add(duty_id)
        return self._tags

    def usable(self, duty_id):
        """Whether an owner item or a sort card may ask this duty."""
        return self.may_ask(duty_id) and duty_id not in self.written_duties

    def may_ask(self, duty_id):
        return duty_id not in self.asked and duty_id not in self.shown_wrong

    def may_show_as_distractor(self, duty_id):
        return duty_id not in self.asked

    def is_fresh(self, duty_id):
        return duty_id not in self.recent.duty_ids

    def is_recent(self, candidate):
        """Whether the candidate asks what the learner was asked lately: the same written question,
        the same duty, or a sort or pick item that could not be made of fresh duties."""
        what = candidate[0]
        if what == "q":
            return candidate[1] in self.recent.question_ids
        if what == "row":
            return candidate[1] in self.recent.duty_ids
        if not self.recent.duty_ids:
            return False
        if what == "sort":
            fresh = [duty for duty, _row in self.catalog.applicable(candidate[1]) if self.is_fresh(duty.pk)]
            return len(fresh) < MIN_SORT_CARDS
        _pick, service_id, target, count = candidate
        right, _wrong = options_for(self.catalog, service_id, target, usable=self.is_fresh)
        return len(right) < count

    def take(self, candidate, *, lesson_id=None):
        """The candidate as the attempt will ask it, its duties now taken; None when it would
        repeat a duty (or too few duties are left to make it)."""
        what = candidate[0]
        if what == "q":
            tags = self.tags.get(candidate[1], set())
            if tags & self.asked_by_owner_or_sort:
                return None
            self.written_duties |= tags
            return candidate
        if what == "pick":
            resolved = resolve_pick(
                self.catalog,
                candidate,
                rng=self.rng,
                usable=self.may_ask,
                usable_as_distractor=self.may_show_as_distractor,
                is_fresh=self.is_fresh,
                lesson_id=lesson_id,
            )
            if resolved is None:
                return None
            self.asked |= set(resolved[4])
            self.shown_wrong |= set(resolved[5])
            return resolved
        if what == "row":
            resolved, duties = candidate, {candidate[1]}
        else:
            resolved = self.resolve_sort(candidate)
            duties = set(resolved[2]) if resolved else set()
        if resolved is None or not all(self.usable(duty_id) for duty_id in duties):
            return None
        self.asked |= duties
        self.asked_by_owner_or_sort |= duties
        return resolved

    def resolve_sort(self, candidate):
        service_id = candidate[1]
        pairs = [(duty, row) for duty, row in self.catalog.applicable(service_id) if self.usable(duty.pk)]
        if len(pairs) < MIN_SORT_CARDS:
            return None
        cards = choose_sort_cards(pairs, self.rng, self.is_fresh)
        return ("sort", service_id, tuple(duty.pk for duty, _row in cards))


def in_draw_order(pool, rng, is_recent):
    """The pool shuffled, with the candidates asked recently after the fresh ones."""
    fresh, recent = [], []
    for candidate in pool:
        (recent if is_recent(candidate) else fresh).append(candidate)
    rng.shuffle(fresh)
    rng.shuffle(recent)
    return fresh + recent
