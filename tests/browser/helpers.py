"""What the learner browser tests share: reading the attempt on screen, answering by mouse, keyboard or
touch, and checking what every page owes its users (focus always visible, no sideways scrolling on a
phone, owners named in words)."""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from quizzes.models import AttemptItem, Kind

QUESTION_URL = re.compile(r"/quizzes/attempts/(\d+)/q/(\d+)/$")
RESULTS_URL = re.compile(r"/quizzes/attempts/\d+/results/$")
OWNER_LABELS = {"aws": "AWS", "customer": "Customer", "shared": "Shared"}
# From "Choose…", how many ArrowDown presses reach each owner of a card's select.
OWNER_ARROWS = {"aws": 1, "customer": 2, "shared": 3}
PASSWORD = "correct-horse-battery-9"


# --- the attempt on screen ---------------------------------------------------------------------------


def loaded(page):
    """Wait until the document on screen is whole: parsed to the end, its deferred scripts (quiz.js,
    diagram.js) run and its styles and images in. A heading can be on screen while the rest of a
    long page (the matrix) is still being parsed: read the whole page only after this. Call it once
    something shows that the page wanted is the one on screen (its heading, its URL): the load
    state is that of the document the last navigation committed."""
    page.wait_for_load_state("load")


def current_item(page):
    """The attempt item on screen, read from the URL (the test shares the live server's database).
    The URL of the previous question matches too: after "Next question", wait for the new heading
    before calling this."""
    expect(page).to_have_url(QUESTION_URL)
    attempt_pk, number = QUESTION_URL.search(page.url).groups()
    return AttemptItem.objects.get(attempt_id=int(attempt_pk), position=int(number) - 1)


def wrong_owner(owner):
    return next(other for other in OWNER_LABELS if other != owner)


def card_names(page):
    """The select names of the sort cards, in the order of the page (cards move, names don't)."""
    loaded(page)
    return page.locator(".sort-card select").evaluate_all("selects => selects.map(s => s.name)")


def planned_answer(item, right):
    """What to answer, right or wrong on purpose: option keys, or an owner per card (sort: every card
    but the first right when `right` is false)."""
    correct = item.key["correct"]
    if item.kind == Kind.SORT:
        cards = [option["key"] for option in item.options]
        return {
            card: wrong_owner(correct[card]) if not right and index == 0 else correct[card]
            for index, card in enumerate(cards)
        }
    if item.kind == Kind.MULTIPLE:
        keys = [key for key in item.option_keys if key in correct] if right else item.option_keys[:2]
        return item.option_keys[:1] if not right and set(keys) == set(correct) else keys
    return [next(key for key in item.option_keys if (key in correct) == right)]


def answer_question(page, item, right, confidence=""):
    """Answer the question on screen with the mouse, right or wrong on purpose. Returns what was
    answered, for the feedback check."""
    answer = planned_answer(item, right)
    if item.kind == Kind.SORT:
        for card, owner in answer.items():
            page.locator(f'select[name="card_{card}"]').select_option(owner)
    else:
        group = page.get_by_role("group", name="Your answer")
        role = "checkbox" if item.kind == Kind.MULTIPLE else "radio"
        for key in answer:
            group.get_by_role(role, name=item.option_text(key), exact=True).check()
    if confidence:
        page.get_by_role("radio", name=confidence.capitalize(), exact=True).check()
    return answer


def expect_feedback(page, item, answered):
    """The practice feedback under the question says what was chosen and what was right."""
    feedback = page.locator(".feedback")
    expect(feedback).to_be_visible()
    item.refresh_from_db()
    answer = item.answer
    heading = feedback.locator("h2")
    if answer.is_correct:
        expect(heading).to_contain_text("Right")
    elif answer.score > 0:
        expect(heading).to_contain_text(f"Partly right ({round(answer.score * 100)}%)")
    else:
        expect(heading).to_contain_text("Not quite")
    if item.kind == Kind.SORT:
        # The learner's board: each card in the bucket it was placed in, marked in words.
        expect(feedback.locator(".fb-card")).to_have_count(len(item.options))
        for option in item.options:
            expected = item.key["correct"][option["key"]]
            placed = answered[option["key"]]
            card = feedback.locator(f".fb-bucket-{placed} .fb-card", has_text=option["text"])
            expect(card).to_have_count(1)
            if placed == expected:
                expect(card).to_contain_text("Right")
            else:
                expect(card).to_contain_text("Wrong")
                expect(card).to_contain_text(f"Belongs under {OWNER_LABELS[expected]}")
    else:
        # Every option is listed, marked right or wrong in words, the learner's pick named.
        options = feedback.locator(".fb-option")
        expect(options).to_have_count(len(item.options))
        for option in item.options:
            line = options.filter(has=feedback.page.get_by_text(option["text"], exact=True))
            expect(line).to_contain_text("Right answer" if option["key"] in item.key["correct"] else "Wrong")
            if option["key"] in answered:
                expect(line).to_contain_text("Your answer")
            else:
                expect(line).not_to_contain_text("Your answer")
    explanation = item.key.get("explanation", "")
    if explanation:
        expect(feedback.locator(".explanation")).to_be_visible()
        if item.question_id is None:  # catalog explanations are plain text, written ones Markdown
            expect(feedback.locator(".explanation")).to_contain_text(explanation)


def start(page, quiz_title):
    page.goto("/quizzes/")
    page.get_by_role("button", name=f"Start {quiz_title}").click()
    expect(page).to_have_url(QUESTION_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1 of")


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.raw_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


# --- the review queue ----------------------------------------------------------------------------------


def reviewed_things(item, answered):
    """What an answered item puts in the review queue, each with whether it was answered right: a
    written question as a whole, a catalog question's duty and service, each card of a catalog sort."""
    if item.kind == Kind.SORT and item.question_id is None:
        duties = item.key["duties"]
        return [
            (("row", duties[card], item.service_id), owner == item.key["correct"][card])
            for card, owner in answered.items()
        ]
    item.refresh_from_db()
    thing = ("q", item.question_id) if item.question_id else ("row", item.duty_id, item.service_id)
    return [(thing, item.answer.is_correct)]


def reviewed_thing(item):
    """What an item of a "review my mistakes" attempt reviews."""
    return ("q", item.question_id) if item.question_id else ("row", item.duty_id, item.service_id)


class ReviewQueue:
    """What the learner's review queue must hold, by the rules the schedule page states: a miss
    enters it, due at once whatever the confidence; a known answer to an item in the queue, or a
    right guess, makes it due later; a known answer to anything else adds nothing."""

    def __init__(self):
        self.state = {}

    def record(self, item, answered, confidence=""):
        for thing, right in reviewed_things(item, answered):
            if not right:
                self.state[thing] = "due"
            elif confidence == "guessing" or thing in self.state:
                self.state[thing] = "later"

    @property
    def due(self):
        return {thing for thing, when in self.state.items() if when == "due"}

    def progress_text(self):
        due, waiting = len(self.due), len(self.state) - len(self.due)
        if not self.state:
            return "Your review queue is empty."
        text = f"{due} due now" if due else "Nothing due now"
        return text + (f"; {waiting} waiting, next in" if waiting else ".")


# --- dragging sort cards -------------------------------------------------------------------------------


def drop_point(bucket):
    """Just under a bucket's title: the drop must land in the viewport (the script finds the bucket
    under the pointer with elementFromPoint), so the title is aimed at rather than a tall bucket's middle."""
    box = bucket.get_by_role("heading").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] + 4


def drag_card_to(page, card, bucket):
    """Drag a card by its handle and drop it in a bucket, with real mouse pointer events."""
    bucket.get_by_role("heading").scroll_into_view_if_needed()
    handle = card.locator(".drag-handle")
    handle.scroll_into_view_if_needed()
    start_box = handle.bounding_box()
    drop_x, drop_y = drop_point(bucket)
    assert 0 < drop_y < page.viewport_size["height"], "the bucket is out of sight"
    page.mouse.move(start_box["x"] + start_box["width"] / 2, start_box["y"] + start_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(drop_x, drop_y, steps=8)
    # A card picked up near the top or bottom edge scrolls the board, for as many frames as the machine
    # draws on the way: aim again, now that the pointer is over the bucket and the board stands still.
    drop_x, drop_y = drop_point(bucket)
    page.mouse.move(drop_x, drop_y)
    page.mouse.up()


class Finger:
    """One finger on a touch screen, through the DevTools protocol: Playwright taps, but cannot drag."""

    EDGE = 10  # where the finger waits for the board to scroll, in pixels from the top or the bottom
    CLEAR = 80  # a drop point this far from both edges is out of the script's scrolling zone (48 px)

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.at = None

    def touch(self, kind, x=None, y=None):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
        if x is not None:
            self.at = (x, y)

    def slide(self, x, y, steps=6):
        from_x, from_y = self.at
        for step in range(1, steps + 1):
            self.touch("touchMove", from_x + (x - from_x) * step / steps, from_y + (y - from_y) * step / steps)

    # True once the drop point under a bucket's title (see drop_point) is clear of both edges.
    IN_SIGHT = """([title, clear]) => {
      const y = title.getBoundingClientRect().bottom + 4;
      return clear < y && y < window.innerHeight - clear;
    }"""

    def drag_card_to(self, card, bucket):
        """Hold the card's handle, carry it to the bucket (holding it at the screen's edge until the
        board has scrolled the bucket into sight, then in the middle so that the scrolling stops),
        and lift."""
        handle = card.locator(".drag-handle")
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        self.touch("touchStart", box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        height = self.page.viewport_size["height"]
        title = bucket.get_by_role("heading").element_handle()
        x, y = drop_point(bucket)
        scrolls = 0
        while not self.CLEAR < y < height - self.CLEAR:
            if scrolls == 3:  # one way, and back should the scrolling overshoot
                raise AssertionError("the board never stopped with the bucket in sight")
            scrolls += 1
            self.slide(self.at[0], self.EDGE if y < self.CLEAR else height - self.EDGE)
            try:
                self.page.wait_for_function(self.IN_SIGHT, arg=[title, self.CLEAR])
            except PlaywrightTimeoutError as error:
                raise AssertionError("holding a card at the edge did not bring its bucket into sight") from error
            # Out of the scrolling zone: the board stands still, so the drop point read next holds.
            self.slide(self.at[0], height / 2)
            x, y = drop_point(bucket)
        self.slide(x, y)
        # A finger lifted while moving flings, and Chrome swallows the next tap, which stops the fling:
        # hold still over the bucket first, as a person dropping a card does. This is how long the
        # gesture lasts (at least; a slow machine only holds longer), not a wait for the page.
        self.page.wait_for_timeout(150)
        self.touch("touchMove", x, y)
        self.touch("touchEnd")


# --- what every page owes its users ---------------------------------------------------------------------


def fits_the_screen(page):
    """Nothing makes the page scroll sideways (measured once the whole page is in)."""
    loaded(page)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= min(width[1], page.viewport_size["width"]), f"{page.url} scrolls sideways: {width}"


def expect_owners_in_words(page):
    """Every owner badge, bucket and layer tag on the page names its owner in words: colour is extra.
    Read once the page is whole: a badge the parser has opened but not yet filled reads ''."""
    loaded(page)
    found = page.evaluate(
        """() => [
          ...[...document.querySelectorAll(".owner")].map(e => [e.className, e.textContent.trim()]),
          ...[...document.querySelectorAll(".sort-bucket[class*=bucket-]")].map(
            e => [e.className, e.querySelector("h3").textContent.trim()]),
        ]"""
    )
    for classes, text in found:
        owner = re.search(r"(?:owner|bucket)-(aws|customer|shared)", classes).group(1)
        assert text == OWNER_LABELS[owner], f"{classes} says {text!r}"
    return len(found)


# Checked on every Tab stop, at once: the keyboard user turns transitions off (reduced motion), or a
# focus ring that fades in would not be there yet. SVG shapes paint neither outline nor box-shadow
# where a link wraps them: a diagram layer shows its focus as a dashed border on its rectangle.
FOCUS_CHECK = """(target) => {
  const element = document.activeElement;
  if (!element || element === document.body) return {here: false, problem: null, name: null, value: null};
  const found = {here: target === element, name: element.name ?? null, value: element.value ?? null};
  const describe = element.outerHTML.slice(0, 120);
  const box = element.getBoundingClientRect();
  if (box.width < 2 || box.height < 2) return {...found, problem: `${describe} is focused but not visible`};
  if (element instanceof SVGElement) {
    const shape = getComputedStyle(element.querySelector("rect"));
    return {...found, problem: shape.strokeDasharray === "none" ? `${describe} shows no focus` : null};
  }
  const opaque = (color) => {
    const alpha = color.match(/rgba\\(.*,\\s*([\\d.]+)\\)/);
    return !alpha || +alpha[1] >= 0.5;
  };
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 && opaque(style.outlineColor);
  const shadow = [...style.boxShadow.matchAll(/(rgba?\\([^)]*\\)) -?[\\d.]+px -?[\\d.]+px [\\d.]+px (-?[\\d.]+)px/g)]
    .some((match) => !match[0].includes("inset") && +match[2] >= 2 && opaque(match[1]));
  if (outline || shadow) return {...found, problem: null};
  const outlineSeen = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
  return {...found, problem: `${describe} shows no focus (outline ${outlineSeen}, box-shadow ${style.boxShadow})`};
}"""

# Any of these is a mouse, pen or finger; a keyboard's Enter or Space makes only a click.
POINTER_WATCH = """
for (const type of ["pointerdown", "pointerup", "pointermove", "mousedown", "mouseup", "mousemove", "touchstart",
                    "wheel"]) {
  window.addEventListener(type, (event) => {
    if (event.isTrusted) window.reportPointer(`${type} on ${location.pathname}`);
  }, true);
}
"""


class KeyboardUser:
    """A learner without a mouse: moves with Tab and Shift+Tab and acts with Enter, Space and the
    arrows. Every Tab stop must show where the focus is; any pointer event fails the test."""

    def __init__(self, page):
        self.page = page
        self.pointer_events = []
        self.stops = 0
        page.emulate_media(reduced_motion="reduce")
        page.context.expose_binding("reportPointer", lambda _source, what: self.pointer_events.append(what))
        page.context.add_init_script(POINTER_WATCH)

    def tab(self, target=None, backwards=False):
        """Press Tab (or Shift+Tab); the newly focused element must show its focus. Returns what is
        focused: whether it is `target` (an element handle), its name and its value."""
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        self.stops += 1
        focused = self.page.evaluate(FOCUS_CHECK, target)
        assert focused["problem"] is None, f"on {self.page.url}: {focused['problem']}"
        return focused

    def tab_to(self, target, backwards=False, limit=150):
        """Tab (or Shift+Tab) until `target` (a locator) has the focus."""
        handle = target.element_handle()
        for _ in range(limit):
            if self.tab(handle, backwards)["here"]:
                return
        raise AssertionError(f"Tab never reached {target} on {self.page.url}")

    def skip_to_main(self):
        """The first Tab stop is the skip link; it takes the focus past the header and the menus."""
        skip = self.page.get_by_role("link", name="Skip to main content")
        self.tab_to(skip, limit=1)
        expect(skip).to_be_in_viewport()
        self.page.keyboard.press("Enter")
        expect(self.page.locator("#main")).to_be_focused()

    def activate(self, target, backwards=False):
        """Tab to a link, button or summary and press Enter."""
        self.tab_to(target, backwards=backwards)
        self.page.keyboard.press("Enter")

    def type_into(self, field, text):
        self.tab_to(field)
        self.page.keyboard.type(text)

    def choose_radio(self, group_name, value):
        """Tab into a radio group, then move to `value` with the arrow keys (or Space when the focus
        lands on it: Tab focuses a radio without checking it)."""
        radios = self.page.locator(f'input[type=radio][name="{group_name}"]')
        loaded(self.page)  # every radio of the group parsed
        values = radios.evaluate_all("inputs => inputs.map(input => input.value)")
        for _ in range(150):
            focused = self.tab()
            if focused["name"] == group_name:
                break
        else:
            raise AssertionError(f"Tab never reached the radio group {group_name} on {self.page.url}")
        steps = values.index(value) - values.index(focused["value"])
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        if steps == 0:
            self.page.keyboard.press("Space")
        expect(radios.nth(values.index(value))).to_be_checked()

    def answer(self, item, answer, confidence=""):
        """Answer the question on screen with keys alone, then save it."""
        form = self.page.locator(".answer-form")
        if item.kind == Kind.SORT:
            # quiz.js moves the cards into its buckets once the page is parsed: Tab through the board
            # it builds, not through the cards it is about to move.
            expect(self.page.locator(".sort-bucket[class*=bucket-]")).to_have_count(3)
            for name in card_names(self.page):
                select = self.page.locator(f'select[name="{name}"]')
                owner = answer[name.removeprefix("card_")]
                self.tab_to(select)
                for _ in range(OWNER_ARROWS[owner]):
                    self.page.keyboard.press("ArrowDown")
                expect(select).to_have_value(owner)
                # The card moved to its bucket: the keyboard user must not lose their place, nor see it.
                expect(select).to_be_focused()
                assert self.page.evaluate(FOCUS_CHECK, None)["problem"] is None, "the moved card lost its focus ring"
                expect(self.page.locator(f'.sort-bucket[data-owner="{owner}"] select[name="{name}"]')).to_be_attached()
        elif item.kind == Kind.MULTIPLE:
            for key in answer:
                box = form.locator(f'input[name="choice"][value="{key}"]')
                self.tab_to(box)
                self.page.keyboard.press("Space")
                expect(box).to_be_checked()
        else:
            self.choose_radio("choice", answer[0])
        if confidence:
            self.choose_radio("confidence", confidence)
        self.activate(form.get_by_role("button", name="Check my answer"))
