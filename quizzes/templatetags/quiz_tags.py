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
