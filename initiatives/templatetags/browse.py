"""URL helpers for the browse page: the URL is the state (DESIGN, Browsing semantics)."""

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join

from initiatives.browse.search import snippet

register = template.Library()


def _params(request):
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop("page", None)
    return params


@register.simple_tag(takes_context=True)
def toggle_url(context, param, value):
    """The current URL with ``param=value`` switched on or off (back to page 1)."""
    params = _params(context.get("request"))
    values = params.getlist(param)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    params.setlist(param, values)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def remove_url(context, param, value):
    params = _params(context.get("request"))
    params.setlist(param, [v for v in params.getlist(param) if v != value])
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def with_param(context, param, value):
    params = _params(context.get("request"))
    params[param] = value
    return "?" + params.urlencode()


@register.filter
def snippet_for(initiative, q):
    text = " ".join(filter(None, [initiative.summary, *(t for _, t in initiative.sections())]))
    return snippet(text, q)


@register.simple_tag
def facet_fieldsets(facets):
    """The facet checkboxes. Built in Python: a facet page renders hundreds of values, and
    the template language would spend more time on them than the database spends counting."""
    parts = []
    for facet in facets:
        if not facet.values:
            continue
        param = facet.facet.param
        items = format_html_join(
            "\n",
            '<li><input type="checkbox" name="{}" value="{}" id="f-{}-{}"{}>'
            '<label for="f-{}-{}">{} <span class="count">({})</span></label></li>',
            (
                (param, v.value, param, i, " checked" if v.selected else "", param, i, v.label, v.count)
                for i, v in enumerate(facet.values, 1)
            ),
        )
        parts.append(
            format_html(
                '<fieldset class="facet" id="facette-{}"><legend>{}</legend><ul>{}</ul></fieldset>',
                param,
                facet.facet.label,
                items,
            )
        )
    return format_html_join("\n", "{}", ((p,) for p in parts))
