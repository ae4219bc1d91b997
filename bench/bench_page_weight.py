"""The first load of a page for `make bench` (bench.py): the page and every stylesheet, script,
image and font it references, fetched as a browser without a cache would, with the bytes each
response took on the wire (compressed as served)."""

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.bench_measure import fetch


class AssetFinder(HTMLParser):
    """The URLs a browser fetches to show a page: stylesheets, icons, scripts, images."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and {"stylesheet", "icon", "preload"} & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs.get("href"))
        elif tag in ("script", "img", "source") and attrs.get("src"):
            self.urls.append(attrs["src"])


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def assets_in_html(html, base):
    finder = AssetFinder()
    finder.feed(html)
    return [urljoin(base, url) for url in finder.urls if url and not url.startswith("data:")]


def assets_in_css(css, base):
    found = [next(group for group in match.groups() if group) for match in CSS_URL.finditer(css)]
    return [urljoin(base, url) for url in found if not url.startswith(("data:", "#"))]


def decoded(fetched):
    encoding = fetched.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(fetched.body)
    if encoding == "br":
        import brotli  # whitenoise serves .br files only when brotli is installed

        return brotli.decompress(fetched.body)
    return fetched.body


@dataclass
class Transfer:
    path: str
    status: int
    encoding: str
    body: int
    headers: int


def first_load(port, path, headers):
    """Every response of a first visit to `path` (no cache), with the bytes each took on the wire."""
    accept = {"Accept-Encoding": "gzip, br", **headers}
    transfers, queue, seen = [], [path], {path}
    while queue:
        url = queue.pop(0)
        fetched = fetch(port, "GET", url, headers=accept if url == path else {"Accept-Encoding": "gzip, br"})
        transfers.append(
            Transfer(
                url,
                fetched.status,
                fetched.headers.get("Content-Encoding", "none"),
                len(fetched.body),
                fetched.header_bytes,
            )
        )
        kind = fetched.headers.get("Content-Type", "")
        if fetched.status != 200:
            continue
        if kind.startswith("text/html"):
            found = assets_in_html(decoded(fetched).decode(), url)
        elif kind.startswith("text/css"):
            found = assets_in_css(decoded(fetched).decode(), url)
        else:
            found = []
        for asset in found:
            asset_path = urlsplit(asset).path
            if asset_path not in seen:
                seen.add(asset_path)
                queue.append(asset_path)
    return transfers
