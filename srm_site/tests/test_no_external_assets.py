"""No page loads anything from another host: every src, stylesheet, icon, script and form
target is local. Plain links (<a href>) may point out only to AWS's own pages, cited as sources."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from study.tests.test_study_pages import study_urls

pytestmark = pytest.mark.django_db

SOURCE_HOSTS = {"aws.amazon.com", "docs.aws.amazon.com", "d1.awsstatic.com"}


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loads = []  # (tag, attribute, value) that the browser fetches by itself
        self.links = []  # <a href> a person may follow

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "srcset", "poster", "data", "action", "formaction", "background"):
            if attrs.get(name):
                self.loads.append((tag, name, attrs[name]))
        if tag in {"link", "image", "use"} and (attrs.get("href") or attrs.get("xlink:href")):
            self.loads.append((tag, "href", attrs.get("href") or attrs.get("xlink:href")))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("style") and "url(" in attrs["style"]:
            self.loads.append((tag, "style", attrs["style"]))


def is_local(url):
    parsed = urlparse(url)
    return (not parsed.scheme and not parsed.netloc) or parsed.scheme == "data"


def pages(client):
    urls = [*study_urls(), reverse("login"), reverse("signup"), reverse("password_reset"), reverse("quizzes:list")]
    for url in urls:
        yield url, client.get(url).content.decode()


def test_no_page_loads_anything_from_another_host(client, content):
    checked = 0
    for url, html in pages(client):
        parser = References()
        parser.feed(html)
        remote = [ref for ref in parser.loads if not is_local(ref[2])]
        assert remote == [], f"{url} loads from another host: {remote}"
        assert any(tag == "link" for tag, _name, _value in parser.loads), url  # the check saw the stylesheet
        checked += 1
    assert checked > 50


def test_outgoing_links_only_cite_aws_pages(client, content):
    for url, html in pages(client):
        parser = References()
        parser.feed(html)
        for link in parser.links:
            parsed = urlparse(link)
            if parsed.netloc:
                assert parsed.scheme == "https", (url, link)
                assert parsed.netloc in SOURCE_HOSTS, (url, link)


def test_the_stylesheets_are_vendored_and_reference_nothing_remote():
    from django.contrib.staticfiles import finders

    for name in ("vendor/bootstrap-5.3.9/bootstrap.min.css", "css/site.css"):
        css = Path(finders.find(name)).read_text(encoding="utf-8")
        assert "@import" not in css
        for chunk in css.split("url(")[1:]:
            target = chunk.split(")", 1)[0].strip("'\"")
            assert target.startswith("data:") or not urlparse(target).netloc, (name, target)
