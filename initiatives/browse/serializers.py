"""One representation of a case for the API and the JSON export (the CSV and XLSX columns: ``exports``).

Absolute links are made from ``base_url``, the address the request came to
(``site_root(request)``): a site served on another host or port links to
itself. ``settings.SITE_URL`` is only for what runs outside a request (e-mails).
"""

LIST_PREFETCH = ["themes", "publics", "periods", "tagged_items__tag", "involvements__actor", "citations__source"]
LIST_SELECT = ["territory", "curating_centre", "region", "department"]


def territory_dict(t):
    if t is None:
        return None
    return {"slug": t.slug, "name": t.name, "kind": t.kind, "code": t.code}


def site_root(request):
    """The scheme and host the request came to ("http://127.0.0.1:8123"), without a trailing slash."""
    return request.build_absolute_uri("/").rstrip("/")


def initiative_dict(i, *, base_url, full=False):
    data = {
        "slug": i.slug,
        "url": f"{base_url}{i.get_absolute_url()}",
        "title": i.title,
        "summary": i.summary,
        "territory": territory_dict(i.territory),
        "region": territory_dict(i.region),
        "department": territory_dict(i.department),
        "precision": i.precision,
        "setting": i.setting or None,
        "documentation_level": i.documentation_level,
        "themes": [t.slug for t in i.themes.all()],
        "publics": [p.slug for p in i.publics.all()],
        "periods": [p.slug for p in i.periods.all()],
        "tags": sorted(ti.tag.slug for ti in i.tagged_items.all()),
        "actors": [
            {
                "name": inv.actor.name,
                "kind": inv.actor.kind or None,
                "category": inv.actor.category or None,
                "role": inv.role,
            }
            for inv in i.involvements.all()
        ],
        "sources": sorted({c.source.slug for c in i.citations.all()}),
        "curating_centre": i.curating_centre.slug if i.curating_centre else None,
        "start_date": i.start_date.isoformat() if i.start_date else None,
        "end_date": i.end_date.isoformat() if i.end_date else None,
        "published_at": i.published_at.isoformat() if i.published_at else None,
        **{field: getattr(i, field) for field, _ in i.FACTS},
    }
    if full:
        data["sections"] = {field: getattr(i, field) for field, _ in i.SECTIONS if getattr(i, field)}
        data["key_figures"] = [k.text for k in i.key_figures.all()]
        data["citations"] = [
            {"source": c.source.slug, "locator": c.locator, "excerpt": c.excerpt} for c in i.citations.all()
        ]
    return data
