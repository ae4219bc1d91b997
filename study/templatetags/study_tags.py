import markdown as markdown_lib
import nh3
from django import template
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
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)


@register.inclusion_tag("includes/owner_badge.html")
def owner_badge(owner):
    """An owner named in words (never by colour alone)."""
    return {"owner": owner, "label": Owner(owner).label}
