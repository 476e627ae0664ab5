"""The OpenAPI 3.1 description of the read-only API, written from the same facet list as the FilterSet.

Served as JSON at /api/openapi.json and rendered as HTML at /api/ (no JavaScript, no CDN).
"""

from django.urls import reverse

from initiatives.browse.facets import FACETS
from initiatives.browse.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS
from territories.models import Territory

SEARCH_BLOCK = {
    "type": ["object", "null"],
    "description": "Ce que la recherche a fait de `q` (null sans `q`) : les mêmes indications que la page.",
    "properties": {
        "q": {"type": "string", "description": "La requête exécutée (corrigée si la requête tapée ne trouvait rien)."},
        "corrected_from": {"type": ["string", "null"], "description": "La requête tapée, quand elle a été corrigée."},
        "did_you_mean": {
            "type": ["string", "null"],
            "description": "Une orthographe proposée (lien « Vouliez-vous dire »).",
        },
        "widened": {
            "type": "array",
            "description": "Les termes élargis par le thésaurus.",
            "items": {
                "type": "object",
                "properties": {"typed": {"type": "string"}, "also": {"type": "array", "items": {"type": "string"}}},
            },
        },
        "all_words_count": {"type": "integer", "description": "Cas qui ont tous les termes."},
        "partial_matches": {"type": "boolean", "description": "Des cas n'ayant qu'une partie des termes suivent."},
        "suggested_filters": {
            "type": "array",
            "description": "Les thèmes, lieux ou centres que la requête nomme, à appliquer comme filtres.",
            "items": {
                "type": "object",
                "properties": {
                    "param": {"type": "string"},
                    "value": {"type": "string"},
                    "label": {"type": "string"},
                    "count": {"type": "integer"},
                },
            },
        },
    },
}
LIST_RESPONSE = {
    "type": "object",
    "required": ["count", "results", "facets"],
    "properties": {
        "count": {"type": "integer"},
        "page": {"type": "integer"},
        "pages": {"type": "integer"},
        "per_page": {"type": "integer"},
        "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "missing_terms": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Correspondance partielle : les termes que le cas n'a pas.",
                    }
                },
            },
        },
        "facets": {"type": "object"},
        "search": SEARCH_BLOCK,
    },
}


def openapi(*, server):
    """The description, whose ``servers`` is ``server``: the address the request came to."""

    def param(name, description, schema=None, many=False):
        schema = schema or {"type": "string"}
        if many:
            return {
                "name": name,
                "in": "query",
                "description": description + " Répétable : les valeurs se combinent par OU.",
                "schema": {"type": "array", "items": schema},
                "style": "form",
                "explode": True,
            }
        return {"name": name, "in": "query", "description": description, "schema": schema}

    list_params = [
        param(
            "q",
            "Recherche plein texte : les cas qui ont tous les mots d'abord, puis, si moins d'une page, ceux qui en "
            'ont une partie (`missing_terms`) ; "expression exacte", -exclu ; élargie par le thésaurus ; '
            "corrigée si elle ne trouve rien (voir `search`).",
        ),
        param("territoire", "Identifiant d'un territoire : les cas situés dedans (descendants compris)."),
        *[param(f.param, f"Facette « {f.label} » (valeurs : voir `facets.{f.name}`).", many=True) for f in FACETS],
        param("tri", "Ordre des résultats.", {"type": "string", "enum": list(SORTS)}),
        param("page", "Numéro de page.", {"type": "integer", "minimum": 1}),
        param("par_page", "Résultats par page.", {"type": "integer", "enum": PER_PAGE, "default": DEFAULT_PER_PAGE}),
    ]
    error = {"description": "Paramètres invalides", "content": {"application/json": {}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API Proximités",
            "version": "1.0",
            "description": "Lecture seule. Les cas publiés de la base Proximités, avec les mêmes filtres que le site.",
        },
        "servers": [{"url": server}],
        "paths": {
            reverse("api:initiatives"): {
                "get": {
                    "summary": "Cas publiés filtrés, paginés, avec le nombre de résultats de chaque valeur de facette",
                    "parameters": list_params,
                    "responses": {
                        "200": {
                            "description": "count, results, facets, next, previous ; search quand `q` est donné",
                            "content": {"application/json": {"schema": LIST_RESPONSE}},
                        },
                        "400": error,
                    },
                }
            },
            reverse("api:initiative", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}"): {
                "get": {
                    "summary": "Un cas publié, complet (sections, chiffres clés, citations)",
                    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "le cas"},
                        "404": {"description": "cas inconnu ou non publié"},
                    },
                }
            },
            reverse("api:territories"): {
                "get": {
                    "summary": "Territoires (100 par page)",
                    "parameters": [
                        param("kind", "Type.", {"type": "string", "enum": list(Territory.Kind.values)}),
                        param("parent", "Identifiant du territoire parent."),
                        param("q", "Nom (contient)."),
                        param("page", "Numéro de page.", {"type": "integer", "minimum": 1}),
                    ],
                    "responses": {"200": {"description": "count, results, next, previous"}, "400": error},
                }
            },
            reverse("api:themes"): {
                "get": {"summary": "Thèmes, sur deux niveaux", "responses": {"200": {"description": "results"}}}
            },
            reverse("api:resource_centres"): {
                "get": {
                    "summary": "Centres de ressources et leur couverture",
                    "responses": {"200": {"description": "results"}},
                }
            },
        },
    }
