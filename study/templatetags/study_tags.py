from functools import lru_cache

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from study.models import Owner

register = template.Library()

# What Markdown may produce on our pages. Anything else (script, style, iframe, event handlers,
# javascript: links) is removed, because lessons and questions are written by instructors.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


@register.filter
def markdown(text):
    """Render instructor Markdown to sanitized HTML."""
    return mark_safe(sanitized_html(text or ""))


# The same lessons, prompts and explanations are shown on request after request, and the HTML
# depends on the text alone, so each process renders a text once (the text is the key: an edit is
# a new entry, never a stale one).
@lru_cache(maxsize=512)
def sanitized_html(text):
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@register.simple_tag
def owner_badge(owner):
    """An owner named in words (never by colour alone). Built here rather than from an included
    template, which costs far more: the matrix shows hundreds of them."""
    return format_html(
        '<span class="owner owner-{}"><span aria-hidden="true" class="owner-icon"></span>{}</span>',
        owner,
        Owner(owner).label,
    )
