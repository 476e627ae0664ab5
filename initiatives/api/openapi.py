"""The OpenAPI 3.1 description of the read-only API, written from the same facet list as the FilterSet.

Served as JSON at /api/openapi.json and rendered as HTML at /api/ (no JavaScript, no CDN).
"""

from django.conf import settings
from django.urls import reverse

from initiatives.browse.facets import FACETS
from initiatives.browse.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS
from territories.models import Territory


def openapi():
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
        param("q", 'Recherche plein texte (syntaxe « websearch » : "expression exacte", -exclu).'),
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
        "servers": [{"url": settings.SITE_URL}],
        "paths": {
            reverse("api:initiatives"): {
                "get": {
                    "summary": "Cas publiés filtrés, paginés, avec le nombre de résultats de chaque valeur de facette",
                    "parameters": list_params,
                    "responses": {"200": {"description": "count, results, facets, next, previous"}, "400": error},
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
