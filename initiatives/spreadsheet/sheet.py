"""The layout of a case spreadsheet: its columns in order, documented once.

``CaseSheet`` declares every column (``initiatives.spreadsheet.columns``) with
its meaning, format and example: the import reads them, the export writes
them, the template download and the documentation table (docs/import.md) are
made from them, so they cannot drift apart.
"""

from import_export.resources import Resource

from initiatives.models import Initiative, Involvement
from initiatives.spreadsheet.columns import (
    ActorsColumn,
    BooleanColumn,
    CentreColumn,
    ChoiceColumn,
    Column,
    DateColumn,
    PlacesColumn,
    SlugColumn,
    SlugListColumn,
    TagsColumn,
    TerritoryColumn,
    TextColumn,
)

Role = Involvement.Role
Status = Initiative.Status
SECTION_COLUMNS = {
    "issues": "grille_enjeux",
    "context": "grille_origine_contexte",
    "actions": "grille_actions",
    "partnerships": "grille_partenariats",
    "obstacles": "grille_freins",
    "means": "grille_moyens",
    "communication": "grille_communication",
    "practice_change": "grille_evolution_pratiques",
    "impacts": "grille_impacts",
    "steering": "grille_pilotage_evaluation",
    "transferability": "grille_transferabilite",
    "people_interviewed": "grille_personnes_rencontrees",
}
SECTION_EXAMPLES = {
    "issues": "Des familles sans ressources dès la fermeture des cantines.",
    "actions": "Livraison de colis deux fois par semaine, au pied des immeubles.",
    "partnerships": "La Ville prête une camionnette ; la Banque alimentaire fournit les denrées.",
}

COLUMNS = (
    "identifiant",
    "titre",
    "resume",
    "territoire",
    "autres_lieux",
    "centre_referent",
    "centre_signalant",
    "statut",
    "niveau_documentation",
    "milieu",
    "date_debut",
    "date_fin",
    "benevoles",
    "nouveaux_publics",
    "cooperation_inedite",
    "emancipee_d_une_regle",
    "poursuivie_apres_crise",
    "a_mettre_a_jour",
    "themes",
    "publics",
    "periodes",
    "mots_cles",
    "porteurs",
    "partenaires",
    "financeurs",
    "relais",
    *SECTION_COLUMNS.values(),
)
REQUIRED_HEADERS = ("identifiant", "titre")


def _section(field):
    label = dict(Initiative.SECTIONS)[field]
    return TextColumn(
        field,
        SECTION_COLUMNS[field],
        meaning=f"grille d'analyse Odas : « {label} »",
        example=SECTION_EXAMPLES.get(field, ""),
    )


class CaseSheet(Resource):
    """The columns of a case spreadsheet, in the order of ``COLUMNS``: what they mean, their format, an example."""

    identifiant = SlugColumn(
        "slug",
        "identifiant",
        meaning="identifiant du cas (son adresse : /initiatives/<identifiant>/) ; c'est lui qui retrouve "
        "un cas existant. Vide : fabriqué à partir du titre (et un cas existant de même titre est retrouvé)",
        fmt="minuscules sans accents, chiffres et tirets, 140 caractères au plus",
        required="colonne obligatoire, valeur facultative",
        example="epicerie-solidaire-mobile-nantes",
    )
    titre = TextColumn("title", "titre", required=True, meaning="titre du cas", example="Épicerie solidaire mobile")
    resume = TextColumn(
        "summary",
        "resume",
        meaning="résumé en quelques phrases",
        example="Une camionnette livre des colis alimentaires aux familles du quartier pendant le confinement.",
    )
    territoire = TerritoryColumn(
        "territory",
        "territoire",
        meaning="lieu principal du cas. Un quartier nommé pour la première fois est créé, rattaché à sa commune "
        "(qpv: pour un quartier prioritaire, quartier: pour un autre quartier)",
        fmt="country:FR (ou france), region:<code INSEE>, department:<code INSEE>, commune:<code INSEE> "
        "(arrondissements compris), epci:<SIREN>, qpv:<code INSEE de la commune>:<nom du quartier>, "
        "quartier:<code INSEE de la commune>:<nom du quartier> ; « pays », « région », « département » acceptés",
        required="sauf en brouillon",
        example="commune:44109",
    )
    autres_lieux = PlacesColumn(
        "other_places",
        "autres_lieux",
        meaning="autres lieux de la même action (un seul cas, trouvé depuis chacun de ses lieux)",
        fmt="références de territoires (comme territoire) séparées par « | »",
        example="qpv:44109:Bellevue | quartier:44109:Malakoff",
    )
    centre_referent = CentreColumn(
        "curating_centre",
        "centre_referent",
        meaning="centre de ressources référent, qui suit le cas (ses curateur·rices seul·es le modifient). "
        "Vide : inchangé pour un cas existant ; pour un nouveau cas, choisi automatiquement si vous êtes "
        "administrateur·rice (centre signalant, sinon couverture la plus précise, sinon réseau national), "
        "votre centre si vous êtes curateur·rice d'un seul centre",
        fmt="identifiant d'un centre de ressources",
        required="si vous suivez plusieurs centres (nouveau cas)",
        example="reso-villes",
    )
    centre_signalant = CentreColumn(
        "reporting_centre",
        "centre_signalant",
        meaning="centre de ressources qui a signalé le cas",
        fmt="identifiant d'un centre de ressources",
        example="reso-villes",
    )
    statut = ChoiceColumn(
        "status",
        "statut",
        choices=Status.choices,
        aliases={"relecture": Status.REVIEW},
        blank=None,
        meaning="statut éditorial. Les passages suivent le circuit du formulaire (brouillon → en relecture → "
        "publié → archivé, retour en brouillon de partout) ; un nouveau cas ne peut pas être archivé. "
        "Vide : inchangé (brouillon pour un nouveau cas)",
        example="draft",
    )
    niveau_documentation = ChoiceColumn(
        "documentation_level",
        "niveau_documentation",
        choices=Initiative.DocumentationLevel.choices,
        aliases={"liste": "listed", "analyse": "analysed", "analyzed": "analysed"},
        blank=None,
        meaning="ce que disent les sources : simplement listé, décrit, analysé en détail (fiche selon la grille). "
        "Vide : inchangé",
        required="pour un nouveau cas",
        example="described",
    )
    milieu = ChoiceColumn(
        "setting",
        "milieu",
        choices=Initiative.Setting.choices,
        aliases={"urban": "urbain", "peri urbain": "periurbain", "rural": "rural"},
        meaning="milieu (vide : non précisé)",
        example="urbain",
    )
    date_debut = DateColumn(
        "start_date", "date_debut", meaning="date de début, si la source la donne", example="2020-03-23"
    )
    date_fin = DateColumn(
        "end_date",
        "date_fin",
        meaning="date de fin, si la source la donne (pas avant date_debut)",
        example="2020-06-30",
    )
    benevoles = BooleanColumn("volunteers", "benevoles", meaning="s'appuie sur des bénévoles", example="oui")
    nouveaux_publics = BooleanColumn(
        "new_publics", "nouveaux_publics", meaning="touche de nouveaux publics en précarité", example="oui"
    )
    cooperation_inedite = BooleanColumn(
        "unprecedented_cooperation", "cooperation_inedite", meaning="coopération ou partenariat inédit", example=""
    )
    emancipee_d_une_regle = BooleanColumn(
        "freed_from_rule", "emancipee_d_une_regle", meaning="s'est émancipée d'une règle ou d'une norme", example=""
    )
    poursuivie_apres_crise = BooleanColumn(
        "continued", "poursuivie_apres_crise", meaning="poursuivie après la crise", example="non"
    )
    a_mettre_a_jour = BooleanColumn(
        "needs_update", "a_mettre_a_jour", nullable=False, meaning="marqué « à mettre à jour »", example="non"
    )
    themes = SlugListColumn(
        "themes", "themes", noun="thème", meaning="thèmes (racines ou sous-thèmes)", example="aide-alimentaire"
    )
    publics = SlugListColumn("publics", "publics", noun="public", meaning="publics visés", example="familles")
    periodes = SlugListColumn(
        "periods", "periodes", noun="période", meaning="périodes de la crise", example="confinement-1"
    )
    mots_cles = TagsColumn(
        "tags",
        "mots_cles",
        meaning="mots-clés, par leur nom (un mot-clé nouveau est créé)",
        fmt="mots-clés séparés par « | »",
        example="circuit court | livraison",
    )
    porteurs = ActorsColumn(
        Role.CARRIER,
        "porteurs",
        meaning="acteurs qui portent l'action. Un nom est cherché parmi les acteurs du cas, puis parmi les acteurs "
        "nommés (nom normalisé ou autre nom) ; un nom inconnu crée un acteur nommé, de type non précisé",
        example="Centre social de Bellevue",
    )
    partenaires = ActorsColumn(
        Role.PARTNER, "partenaires", meaning="acteurs partenaires (mêmes règles)", example="Ville de Nantes"
    )
    financeurs = ActorsColumn(
        Role.FUNDER,
        "financeurs",
        meaning="financeurs (mêmes règles)",
        example="Ville de Nantes | CAF de Loire-Atlantique",
    )
    relais = ActorsColumn(Role.RELAY, "relais", meaning="acteurs relais (mêmes règles)", example="")
    grille_enjeux = _section("issues")
    grille_origine_contexte = _section("context")
    grille_actions = _section("actions")
    grille_partenariats = _section("partnerships")
    grille_freins = _section("obstacles")
    grille_moyens = _section("means")
    grille_communication = _section("communication")
    grille_evolution_pratiques = _section("practice_change")
    grille_impacts = _section("impacts")
    grille_pilotage_evaluation = _section("steering")
    grille_transferabilite = _section("transferability")
    grille_personnes_rencontrees = _section("people_interviewed")

    # ----- the columns, documentation and template

    @classmethod
    def columns(cls) -> list[Column]:
        return [cls.fields[name] for name in COLUMNS]

    @classmethod
    def example_row(cls) -> list[str]:
        return [column.example for column in cls.columns()]

    @classmethod
    def check_headers(cls, headers) -> list[str]:
        """What is wrong with a header row (already normalised by ``header_key``), in French."""
        problems = []
        missing = [name for name in REQUIRED_HEADERS if name not in headers]
        if missing:
            problems.append(
                f"Colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}. Partez du modèle téléchargeable "
                "sur cette page : sa première ligne donne les noms des colonnes."
            )
        unknown = [h for h in headers if h not in COLUMNS]
        if unknown:
            problems.append(
                f"Colonne(s) inconnue(s) : {', '.join(h or '(sans nom)' for h in unknown)}. "
                f"Colonnes possibles : {', '.join(COLUMNS)}."
            )
        repeated = sorted({h for h in headers if headers.count(h) > 1 and h})
        if repeated:
            problems.append(f"Colonne(s) en double : {', '.join(repeated)}.")
        return problems


def documentation_rows():
    """(column, meaning, format, required, example) of every column, in order: the README table."""
    return [(c.column_name, c.meaning, c.fmt, c.required, c.example) for c in CaseSheet.columns()]
