"""URL helpers for the browse page: the URL is the state (DESIGN, Browsing semantics)."""

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join

from initiatives.browse import families
from initiatives.browse.search import snippet

register = template.Library()


def _params(request):
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop("page", None)
    return params


@register.simple_tag(takes_context=True)
def toggle_url(context, param, value, keep_page=False):
    """The current URL with ``param=value`` switched on or off (back to page 1, unless ``keep_page``:
    choosing a case to compare leaves the reader where they are)."""
    request = context.get("request")
    params = request.GET.copy() if keep_page and request is not None else _params(request)
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
def with_param(context, param, value, drop=""):
    """The current URL with ``param`` set to ``value`` (and the parameter ``drop`` removed)."""
    params = _params(context.get("request"))
    params[param] = value
    params.pop(drop, None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def without_param(context, param):
    """The current URL without any ``param`` (the page kept)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop(param, None)
    return "?" + params.urlencode()


@register.filter
def as_cards(cases):
    """A page's cases as cards, near-identical ones folded under the first (browse.families)."""
    return families.cards(cases)


@register.filter
def snippet_for(initiative, q):
    text = " ".join(filter(None, [initiative.summary, *(t for _, t in initiative.sections())]))
    return snippet(text, q)


TOP = 6  # values a facet shows before "voir les N autres"
# Long facets get a box that filters their values as one types (static/js/browse.js adds it).
FILTER_BOX = {
    "theme": "Filtrer les thèmes",
    "department": "Filtrer les départements",
    "tag": "Filtrer les mots-clés",
    "category": "Filtrer les catégories",
}


def _item(param, value, label, children=""):
    uid = f"f-{param}-{value.value}"[:80]
    return format_html(
        '<li><input type="checkbox" name="{}" value="{}" id="{}"{}><label for="{}">{} <span class="count">({})</span>'
        "</label>{}</li>",
        param,
        value.value,
        uid,
        " checked" if value.selected else "",
        uid,
        label,
        value.count,
        children,
    )


def _items(param, values):
    return format_html_join("\n", "{}", ((_item(param, v, v.label),) for v in values))


def _theme_tree(param, values):
    """Root themes with their counts, each with its finer themes beneath (labels "Root › Child")."""
    roots, children = [], {}
    for value in values:
        root, _, child = value.label.partition(" › ")
        if child:
            children.setdefault(root, []).append((value, child))
        else:
            roots.append(value)
    known = {root.label for root in roots}
    orphans = [(value, value.label) for root, kids in children.items() if root not in known for value, _ in kids]
    parts = []
    for root in roots:
        kids = children.get(root.label, [])
        nested = format_html(
            '<ul class="children">{}</ul>', format_html_join("", "{}", ((_item(param, v, label),) for v, label in kids))
        )
        parts.append(_item(param, root, root.label, nested if kids else ""))
    parts += [_item(param, v, label) for v, label in orphans]
    return format_html_join("\n", "{}", ((p,) for p in parts))


def _collapsed(param, values):
    """The first values (and every chosen one), then the rest behind "voir les N autres"."""
    shown = [v for n, v in enumerate(values) if n < TOP or v.selected]
    rest = [v for n, v in enumerate(values) if n >= TOP and not v.selected]
    html = format_html("<ul>{}</ul>", _items(param, shown))
    if rest:
        html = format_html(
            '{}<details class="more"><summary>voir {} autre{}</summary><ul>{}</ul></details>',
            html,
            f"les {len(rest)}" if len(rest) > 1 else "1",
            "s" if len(rest) > 1 else "",
            _items(param, rest),
        )
    return html


@register.simple_tag
def facet_fieldsets(facets):
    """The filter panel. Built in Python: a facet page renders hundreds of values, and the
    template language would spend more time on them than the database spends counting."""
    parts = []
    for facet in facets:
        if not facet.values:
            continue
        param, name = facet.facet.param, facet.facet.name
        if name == "theme":
            body = format_html('<ul class="tree">{}</ul>', _theme_tree(param, facet.values))
        else:
            body = _collapsed(param, facet.values)
        parts.append(
            format_html(
                '<fieldset class="facet" id="facette-{}"{}><legend>{}</legend>{}</fieldset>',
                param,
                format_html(' data-filter="{}"', FILTER_BOX[name]) if name in FILTER_BOX else "",
                facet.facet.label,
                body,
            )
        )
    return format_html_join("\n", "{}", ((p,) for p in parts))
