"""The OpenAPI 3.1 description of the read-only API, written from the same facet list as the FilterSet.

Served as JSON at /api/openapi.json and rendered as HTML at /api/ (no JavaScript, no CDN).
"""

from django.urls import reverse

from initiatives.browse.facets import FACETS, fixed_labels
from initiatives.browse.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS
from initiatives.models import Initiative
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
# An empty value is the parameter left out (no filter, the default): the enums list it.
EMPTY = ""
NULLABLE_STRING = {"type": ["string", "null"]}
TERRITORY_REF = {
    "type": ["object", "null"],
    "required": ["slug", "name", "kind", "code"],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": list(Territory.Kind.values)},
        "code": {"type": ["string", "null"], "description": "Code INSEE (code officiel du QPV), quand il est connu."},
    },
}
INITIATIVE = {
    "type": "object",
    "description": "Un cas publié (la même représentation que l'export JSON).",
    "required": [
        "slug",
        "url",
        "title",
        "summary",
        "territory",
        "themes",
        "publics",
        "periods",
        "tags",
        "actors",
        "sources",
        "documentation_level",
    ],
    "properties": {
        "slug": {"type": "string"},
        "url": {"type": "string", "description": "La page du cas sur le site."},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "territory": TERRITORY_REF,
        "region": TERRITORY_REF,
        "department": TERRITORY_REF,
        "precision": {"type": "string"},
        "setting": NULLABLE_STRING,
        "documentation_level": {"type": "string"},
        "themes": {"type": "array", "items": {"type": "string"}},
        "publics": {"type": "array", "items": {"type": "string"}},
        "periods": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "actors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "kind", "category", "role"],
                "properties": {
                    "name": {"type": "string"},
                    "kind": NULLABLE_STRING,
                    "category": NULLABLE_STRING,
                    "role": {"type": "string"},
                },
            },
        },
        "sources": {"type": "array", "items": {"type": "string"}},
        "curating_centre": NULLABLE_STRING,
        "start_date": {"type": ["string", "null"], "format": "date"},
        "end_date": {"type": ["string", "null"], "format": "date"},
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        **{field: {"type": ["boolean", "null"], "description": label} for field, label in Initiative.FACTS},
        "missing_terms": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Correspondance partielle : les termes que le cas n'a pas (liste seulement).",
        },
    },
}
INITIATIVE_FULL = {
    **INITIATIVE,
    "description": "Un cas publié, complet : sections de la grille d'analyse, chiffres clés, citations.",
    "required": [*INITIATIVE["required"], "sections", "key_figures", "citations"],
    "properties": {
        **INITIATIVE["properties"],
        "sections": {
            "type": "object",
            "description": "Les sections renseignées de la grille d'analyse.",
            "propertyNames": {"enum": [name for name, _ in Initiative.SECTIONS]},
            "additionalProperties": {"type": "string"},
        },
        "key_figures": {"type": "array", "items": {"type": "string"}},
        "citations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "locator", "excerpt"],
                "properties": {
                    "source": {"type": "string"},
                    "locator": {"type": "string"},
                    "excerpt": {"type": "string"},
                },
            },
        },
    },
}
PAGE_LINKS = {
    "next": {"type": ["string", "null"], "description": "La page suivante (null sur la dernière)."},
    "previous": {"type": ["string", "null"], "description": "La page précédente (null sur la première)."},
}
LIST_RESPONSE = {
    "type": "object",
    "required": ["count", "page", "pages", "per_page", "next", "previous", "results", "facets", "search"],
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "enum": PER_PAGE},
        **PAGE_LINKS,
        "results": {"type": "array", "items": INITIATIVE},
        "facets": {
            "type": "object",
            "description": "Pour chaque facette, ses valeurs et le nombre de résultats de chacune.",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value", "label", "count"],
                    "properties": {
                        "value": {"type": "string"},
                        "label": {"type": "string"},
                        "count": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
        "search": SEARCH_BLOCK,
    },
}
TERRITORY_LIST = {
    "type": "object",
    "required": ["count", "next", "previous", "results"],
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        **PAGE_LINKS,
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [*TERRITORY_REF["required"], "parent", "initiatives", "url"],
                "properties": {
                    **TERRITORY_REF["properties"],
                    "parent": {"type": ["string", "null"], "description": "Identifiant du territoire parent."},
                    "initiatives": {"type": "integer", "minimum": 0, "description": "Cas publiés situés dedans."},
                    "url": {"type": "string"},
                },
            },
        },
    },
}
THEME = {
    "type": "object",
    "required": ["slug", "name", "initiatives"],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "initiatives": {"type": "integer", "minimum": 0},
    },
}
THEME_LIST = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                **THEME,
                "required": [*THEME["required"], "children"],
                "properties": {**THEME["properties"], "children": {"type": "array", "items": THEME}},
            },
        }
    },
}
CENTRE_LIST = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["slug", "name", "short_name", "website", "national", "coverage", "initiatives", "url"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "short_name": {"type": "string"},
                    "website": NULLABLE_STRING,
                    "national": {"type": "boolean"},
                    "coverage": {"type": "array", "items": {**TERRITORY_REF, "type": "object"}},
                    "initiatives": {"type": "integer", "minimum": 0},
                    "url": {"type": "string"},
                },
            },
        }
    },
}
# The one shape of every error the API answers (crpv_site.errors.json_error).
ERROR = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {
        "error": {"type": "string", "description": "Le message, en français."},
        "status": {"type": "integer", "description": "Le code HTTP de la réponse."},
        "details": {
            "type": "object",
            "description": "Paramètre -> ce qui ne va pas (erreurs de paramètres, page hors limites).",
            "additionalProperties": {"type": "string"},
        },
    },
}
ERROR_MEANINGS = {
    "400": "Paramètres invalides : `details` nomme chacun (valeur inconnue, entier attendu, caractère nul…).",
    "404": "Ressource introuvable (adresse inconnue, cas non publié, page au-delà de la dernière).",
    "405": "Méthode non autorisée : l'API est en lecture seule (GET, HEAD) ; l'en-tête `Allow` le dit.",
    "500": "Erreur interne.",
    "503": "Base de données indisponible ou trop lente : réessayer après `Retry-After` secondes.",
}


def _error(code):
    response = {"description": ERROR_MEANINGS[code], "content": {"application/json": {"schema": ERROR}}}
    if code == "405":
        response["headers"] = {"Allow": {"schema": {"type": "string"}, "description": "GET, HEAD"}}
    if code == "503":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "secondes"}}
    return response


def _responses(ok_description, ok_schema, *errors):
    """200 with its schema, then the errors this operation can answer, and the ones every one can."""
    responses = {"200": {"description": ok_description, "content": {"application/json": {"schema": ok_schema}}}}
    for code in (*errors, "405", "500", "503"):
        responses[code] = _error(code)
    return responses


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

    fixed = fixed_labels()  # the values the code fixes; the others (themes, places...) are the data's
    list_params = [
        param(
            "q",
            "Recherche plein texte : les cas qui ont tous les mots d'abord, puis, si moins d'une page, ceux qui en "
            'ont une partie (`missing_terms`) ; "expression exacte", -exclu ; élargie par le thésaurus ; '
            "corrigée si elle ne trouve rien (voir `search`).",
        ),
        param("territoire", "Identifiant d'un territoire : les cas situés dedans (descendants compris)."),
        *[
            param(
                f.param,
                f"Facette « {f.label} » (valeurs : voir `facets.{f.name}` ; une valeur inconnue : 400).",
                {"type": "string", "enum": [*fixed[f.name], EMPTY]} if f.name in fixed else None,
                many=True,
            )
            for f in FACETS
        ],
        param("tri", "Ordre des résultats.", {"type": "string", "enum": [*SORTS, EMPTY]}),
        param("page", "Numéro de page.", {"type": "integer", "minimum": 1}),
        param("par_page", "Résultats par page.", {"type": "integer", "enum": PER_PAGE, "default": DEFAULT_PER_PAGE}),
    ]
    page_param = param("page", "Numéro de page (au-delà de la dernière : 404).", {"type": "integer", "minimum": 1})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API Proximités",
            "version": "1.0",
            "description": (
                "Lecture seule. Les cas publiés de la base Proximités, avec les mêmes filtres que le site. "
                "GET et HEAD seulement (toute autre méthode : 405). Une valeur vide (`?theme=`) vaut "
                "paramètre absent : pas de filtre, la valeur par défaut. Chaque erreur est un objet JSON "
                "`{error, status, details}` (schéma `Error`) ; 503 avec `Retry-After` quand la base de "
                "données ne répond pas."
            ),
        },
        "servers": [{"url": server}],
        "externalDocs": {
            "description": "Données ouvertes : toute la base publiée en fichiers CSV et JSON décrits par un "
            "datapackage.json (Licence Ouverte 2.0).",
            "url": f"{server}{reverse('opendata:index')}",
        },
        "paths": {
            reverse("api:initiatives"): {
                "get": {
                    "summary": "Cas publiés filtrés, paginés, avec le nombre de résultats de chaque valeur de facette",
                    "parameters": [*list_params[:-2], page_param, list_params[-1]],
                    "responses": _responses(
                        "count, results, facets, next, previous ; search quand `q` est donné",
                        LIST_RESPONSE,
                        "400",
                        "404",
                    ),
                }
            },
            reverse("api:initiative", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}"): {
                "get": {
                    "summary": "Un cas publié, complet (sections, chiffres clés, citations)",
                    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        **_responses("le cas", INITIATIVE_FULL, "404"),
                        "301": {"description": "cas fusionné dans un autre : son adresse (`Location`)"},
                    },
                }
            },
            reverse("api:territories"): {
                "get": {
                    "summary": "Territoires (100 par page)",
                    "parameters": [
                        param("kind", "Type.", {"type": "string", "enum": [*Territory.Kind.values, EMPTY]}),
                        param("parent", "Identifiant du territoire parent."),
                        param("q", "Nom (contient)."),
                        page_param,
                    ],
                    "responses": _responses("count, results, next, previous", TERRITORY_LIST, "400", "404"),
                }
            },
            reverse("api:themes"): {
                "get": {"summary": "Thèmes, sur deux niveaux", "responses": _responses("results", THEME_LIST)}
            },
            reverse("api:resource_centres"): {
                "get": {
                    "summary": "Centres de ressources et leur couverture",
                    "responses": _responses("results", CENTRE_LIST),
                }
            },
            reverse("api:openapi"): {
                "get": {
                    "summary": "Ce document (OpenAPI 3.1)",
                    "responses": _responses("le document", {"type": "object", "required": ["openapi", "paths"]}),
                }
            },
        },
        "components": {"schemas": {"Error": ERROR, "Initiative": INITIATIVE_FULL}},
    }
