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
    "axe-core 4.14.1 (règles WCAG 2.2 A et AA et bonnes pratiques), analyse automatique de chaque type de page, "
    "à chaque modification du site (tests/e2e/test_accessibility.py)",
    "Playwright, qui pilote le navigateur pour les tests au clavier, sur téléphone et à 320 pixels de large",
]
ENVIRONMENT = [
    "Chromium 156 sur Debian 12 (sans affichage) : fenêtre de bureau (1280 pixels), téléphone (390 × 844) "
    "et fenêtre de 320 pixels de large ; avec et sans JavaScript",
]
TECHNOLOGIES = [
    "HTML5",
    "CSS",
    "SVG (la carte des départements, le réseau des acteurs et les graphiques de la chronologie)",
    "JavaScript, seulement en complément : suggestions de lieux, filtres appliqués dès qu'on les coche, "
    "filtres repliés sur téléphone ; le site fonctionne sans",
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
    "le formulaire d'abonnement aux alertes e-mail",
    "les rapports sources et la page d'un rapport",
    "les coopérations et la chronologie d'une sélection, avec leurs graphiques",
    "l'accessibilité, les mentions légales et les données personnelles",
]

# What the checks found, as of CHECKED_ON (the RGAA or WCAG criterion in brackets). The automated
# scans find no violation today; these are what they cannot judge, seen while testing.
KNOWN_PROBLEMS = [
    "Carte des territoires sur téléphone : l'encart de l'Île-de-France est petit (environ 80 pixels de "
    "large) ; le tableau des départements, sous la carte, donne les mêmes chiffres (RGAA critère 10.11).",
    "Carte des territoires : les couleurs disent le nombre de cas ; chaque département le dit aussi en "
    "texte (infobulle et nom accessible) et le tableau le donne, mais la légende repose sur des nuances "
    "de bleu (RGAA critère 3.1, à vérifier lors d'un audit).",
    "Réseau des acteurs (page des coopérations) sur téléphone : le dessin rétrécit et les noms y deviennent "
    "petits ; le tableau qui le suit donne les mêmes acteurs, types, nombres de cas et partenaires "
    "(RGAA critère 10.11). Sa couleur dit le type d'un acteur, que son nom accessible et le tableau "
    "disent aussi en texte (RGAA critère 3.1).",
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
