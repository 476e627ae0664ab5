"""One representation of a case for the API, the JSON export and (flattened) the CSV export.

Absolute links are made from ``base_url``, the address the request came to
(``site_root(request)``): a site served on another host or port links to
itself. ``settings.SITE_URL`` is only for what runs outside a request (e-mails).
"""

from initiatives.text import yes_no

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


CSV_COLUMNS = [
    ("slug", "identifiant"),
    ("title", "titre"),
    ("url", "adresse"),
    ("summary", "résumé"),
    ("territory", "territoire"),
    ("territory_code", "code territoire"),
    ("department", "département"),
    ("region", "région"),
    ("precision", "précision"),
    ("setting", "milieu"),
    ("documentation_level", "niveau de documentation"),
    ("themes", "thèmes"),
    ("publics", "publics"),
    ("periods", "périodes"),
    ("tags", "mots-clés"),
    ("carriers", "porteurs"),
    ("partners", "autres acteurs"),
    ("sources", "sources"),
    ("curating_centre", "centre de ressources"),
    ("volunteers", "bénévoles"),
    ("new_publics", "nouveaux publics"),
    ("unprecedented_cooperation", "coopération inédite"),
    ("freed_from_rule", "émancipée d'une règle"),
    ("continued", "poursuivie"),
    ("published_at", "publié le"),
]


def csv_row(i, *, base_url):
    d = initiative_dict(i, base_url=base_url)
    actors = d["actors"]
    row = {
        **d,
        "territory": d["territory"]["name"],
        "territory_code": d["territory"]["code"] or "",
        "department": d["department"]["name"] if d["department"] else "",
        "region": d["region"]["name"] if d["region"] else "",
        "setting": d["setting"] or "",
        "themes": " | ".join(t.name for t in i.themes.all()),
        "publics": " | ".join(p.name for p in i.publics.all()),
        "periods": " | ".join(p.name for p in i.periods.all()),
        "tags": " | ".join(d["tags"]),
        "carriers": " | ".join(a["name"] for a in actors if a["role"] == "porteur"),
        "partners": " | ".join(f"{a['name']} ({a['role']})" for a in actors if a["role"] != "porteur"),
        "sources": " | ".join(d["sources"]),
        "curating_centre": d["curating_centre"] or "",
        **{
            f: yes_no(d[f])
            for f in ("volunteers", "new_publics", "unprecedented_cooperation", "freed_from_rule", "continued")
        },
        "published_at": d["published_at"] or "",
    }
    return [row[key] for key, _ in CSV_COLUMNS]
