"""One simulated learner of `make load` (load.py): its browser and its journey through the site.

`Browser` keeps the learner's cookies, sends each request to the next server in turn and times
it; `run_learner()` signs up, reads a study page, takes the practice quick check to the end
(reading each answer's feedback), finishes it and opens /progress/, raising `Failure` at the
first response that is not what a working site sends."""

import http.client
import random
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

QUIZ = "quick-check"
PASSWORD = "load-test-Passw0rd-42"
STUDY_PAGES = [
    "/study/",
    "/study/the-model/",
    "/study/matrix/",
    "/study/diagram/",
    "/study/services/ec2/",
    "/study/services/s3/",
]


class Failure(Exception):
    """A response that is not what a working site sends at this step."""


# --- the client ---------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The page's forms: their action and class, their fields as (name, type, value), each select's options."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action"), "class": attrs.get("class", ""), "fields": [], "selects": {}}
            )
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("type", "text"), attrs.get("value", "")))
        elif tag == "select":
            self.select = attrs.get("name")
            self.forms[-1]["selects"][self.select] = []
        elif tag == "option" and self.select:
            self.forms[-1]["selects"][self.select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def forms_of(body):
    parser = FormParser()
    parser.feed(body)
    return parser.forms


def find_form(body, *, css_class=None, action=None, field=None):
    """The first form of the page with this class, action or field, or None."""
    for form in forms_of(body):
        if (
            (css_class is None or css_class in form["class"].split())
            and (action is None or form["action"] == action)
            and (field is None or any(name == field for name, *_ in form["fields"]))
        ):
            return form
    return None


def csrf_token(form):
    return next(value for name, _, value in form["fields"] if name == "csrfmiddlewaretoken")


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int


@dataclass
class Response:
    status: int
    location: str
    body: str


class Browser:
    """One learner's client. It keeps its cookies itself: the production settings mark them Secure,
    and a standard cookie jar would not send a Secure cookie back over plain http."""

    def __init__(self, ports, first):
        self.ports = ports
        self.turn = first
        self.cookies = {}
        self.samples = []

    def request(self, kind, method, path, form=None):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise Failure(f"{method} {path} on :{port}: {error!r}") from None
        finally:
            connection.close()
        self.samples.append(Sample(kind, time.perf_counter() - start, response.status))
        for header in response.headers.get_all("Set-Cookie") or []:
            self.store_cookie(header)
        return Response(response.status, response.headers.get("Location", ""), content.decode("utf-8", "replace"))

    def store_cookie(self, header):
        pair, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        # Django deletes a cookie by sending it empty with Max-Age=0.
        if any(attribute.lower() == "max-age=0" for attribute in attributes):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, kind, path, status=200):
        response = self.request(kind, "GET", path)
        expect(response, f"GET {path}", status)
        return response

    def post(self, kind, path, form, redirect):
        response = self.request(kind, "POST", path, form)
        expect(response, f"POST {path}", 302)
        if not re.fullmatch(redirect, response.location):
            raise Failure(f"POST {path} redirected to {response.location!r}, not {redirect!r}")
        return response


def expect(response, what, status):
    if response.status != status:
        hint = ""
        if response.location.startswith("https://"):
            hint = " (the HTTPS redirect is on: DJANGO_SECURE_SSL_REDIRECT=0 turns it off)"
        raise Failure(f"{what} answered {response.status} {response.location}{hint}, not {status}")


# --- one learner --------------------------------------------------------------------------------


@dataclass
class Learner:
    username: str
    samples: list = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # question number -> the response as stored
    failure: str = ""


def answer_for(form, rng):
    """Random answers (and confidence) for an answer form, as posted and as the server stores them."""
    data, choices, cards = {}, {}, {}
    for name, kind, value in form["fields"]:
        if kind in ("radio", "checkbox"):
            choices.setdefault((name, kind), []).append(value)
    for (name, kind), values in choices.items():
        if kind == "radio":
            data[name] = rng.choice(values)
        else:
            data[name] = sorted(rng.sample(values, rng.randint(1, len(values))))
    for name, options in form["selects"].items():
        cards[name.removeprefix("card_")] = data[name] = rng.choice([option for option in options if option])
    data["csrfmiddlewaretoken"] = csrf_token(form)
    if cards:
        return data, {"cards": cards}
    chosen = data["choice"]
    return data, {"choices": sorted(chosen) if isinstance(chosen, list) else [chosen]}


def simulate(index, tag, ports, seed):
    learner = Learner(username=f"load-{tag}-{index}")
    rng = random.Random(f"{seed}-{index}")
    browser = Browser(ports, first=index)
    try:
        run_learner(learner, browser, rng, index)
    except Exception as error:
        # Whatever went wrong (a wrong status, a page without its form), this learner failed.
        learner.failure = str(error) if isinstance(error, Failure) else f"{type(error).__name__}: {error}"
    learner.samples = browser.samples
    return learner


def run_learner(learner, browser, rng, index):
    page = browser.get("signup form", "/accounts/signup/")
    form = find_form(page.body, field="username")
    browser.post(
        "signup",
        "/accounts/signup/",
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "username": learner.username,
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        redirect="/",
    )
    browser.get("home", "/")
    browser.get("study", STUDY_PAGES[index % len(STUDY_PAGES)])
    page = browser.get("quiz list", "/quizzes/")
    start_url = f"/quizzes/{QUIZ}/start/"
    start = find_form(page.body, action=start_url)
    attempt = browser.post(
        "start quiz", start_url, {"csrfmiddlewaretoken": csrf_token(start)}, redirect=r"/quizzes/attempts/\d+/"
    ).location
    first = browser.get("attempt", attempt, status=302).location
    if first != f"{attempt}q/1/":
        raise Failure(f"a new attempt sent the learner to {first!r}, not to its first question")
    number, total = 1, None
    while total is None or number <= total:
        url = f"{attempt}q/{number}/"
        page = browser.get("question", url)
        heading = re.search(r"Question (\d+) of (\d+)", page.body)
        if not heading or int(heading[1]) != number:
            raise Failure(f"GET {url} is not question {number}")
        total = int(heading[2])
        form = find_form(page.body, css_class="answer-form")
        if form is None:
            raise Failure(f"GET {url}: question {number} has no answer form, though it was never answered")
        data, learner.sent[number] = answer_for(form, rng)
        browser.post("answer", url, data, redirect=re.escape(url))
        page = browser.get("feedback", url)
        if find_form(page.body, css_class="answer-form") is not None:
            raise Failure(f"GET {url} after answering still asks the question: the answer was not stored")
        number += 1
    finish = find_form(page.body, css_class="finish-form")
    browser.post(
        "finish",
        f"{attempt}finish/",
        {"csrfmiddlewaretoken": csrf_token(finish)},
        redirect=re.escape(f"{attempt}results/"),
    )
    browser.get("results", f"{attempt}results/")
    page = browser.get("progress", "/progress/")
    if "Your progress" not in page.body or learner.username not in page.body:
        raise Failure("/progress/ is not the learner's own progress page")
