"""What the accessibility statement (/accessibilite/) says was checked, when, and what failed.

Data, not prose in a template, so that whoever re-runs the checks updates one place: the date,
the tools, the page types and the problems found. The checks are automated and partial: an axe-core
scan of each public page type in Chromium, the keyboard tests of ``tests/e2e/`` (the skip link is
the first stop of the keyboard) and a measure of the page width at 320 px. No RGAA audit has been
made, so by the RGAA's own rule the site is "non conforme" whatever the scans find: the state
changes only with an audit of the RGAA's criteria, whose rate of compliance the statement then gives.
"""

from datetime import date

from django.utils import formats

RGAA_VERSION = "4.1"
STATE = "non conforme"

# The day of the last run of the checks below.
CHECKED_ON = date(2026, 12, 1)

TOOLS = [
    "axe-core 4.14.1, analyse automatique de chaque type de page",
    "Playwright, qui pilote le navigateur pour les tests au clavier et la mesure de la largeur des pages",
]
ENVIRONMENT = [
    "Chromium 156 sur Debian 12 (sans affichage), fenêtre de bureau et fenêtre de 320 pixels de large",
]
TECHNOLOGIES = [
    "HTML5",
    "CSS",
    "SVG (la carte des départements)",
    "JavaScript, seulement pour les suggestions de lieux du formulaire de proposition : le site fonctionne sans",
]

# Page types scanned; the trust pages and the report pages were scanned the same day.
PAGE_TYPES = [
    "l'accueil",
    "la liste des initiatives, avec et sans recherche",
    "la page d'un cas",
    "la comparaison de cas",
    "les thèmes et la page d'un thème",
    "les territoires, la page d'une région et celle d'un département",
    "les centres de ressources et la page d'un centre",
    "la page d'un acteur",
    "les données ouvertes (API)",
    "le formulaire de proposition",
    "les rapports sources et la page d'un rapport",
    "l'accessibilité, les mentions légales et les données personnelles",
]

# What the checks found, as of CHECKED_ON (the RGAA or WCAG criterion in brackets).
KNOWN_PROBLEMS = [
    "Liste des initiatives et recherche : des cibles à cliquer ou à toucher trop petites, surtout les cases "
    "des filtres (axe-core « target-size », critère 2.5.8 des WCAG 2.2, qui n'est pas dans le RGAA 4.1).",
    "Page des territoires : un niveau de titre sauté (axe-core « heading-order » ; voir le critère 9.1 du RGAA).",
    "À 320 pixels de large, les pages d'un cas, d'un acteur, des données ouvertes, du formulaire de "
    "proposition et des thèmes obligent à défiler horizontalement (RGAA critère 10.11).",
    "Au clavier, le premier résultat d'une liste filtrée vient après environ 200 appuis sur la touche "
    "Tabulation, car les filtres le précèdent ; le lien d'évitement mène au début du contenu, pas aux "
    "résultats.",
]
NOT_CHECKED = [
    "un audit des 106 critères du RGAA",
    "un test avec un lecteur d'écran (NVDA, JAWS, VoiceOver, TalkBack)",
    "un test avec des personnes handicapées",
    "une vérification de l'espace des centres de ressources (/admin/), réservé à leurs équipes",
]


def checked_on_label() -> str:
    """CHECKED_ON as French writes a date: « 1er décembre 2026 »."""
    day = "1er" if CHECKED_ON.day == 1 else str(CHECKED_ON.day)
    return f"{day} {formats.date_format(CHECKED_ON, 'F Y')}"
