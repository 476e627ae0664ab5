"""Public forms: proposing a case (/proposer/).

Every field has a size limit (the columns' own, ``Proposal.*_MAX``) with a
French message; text is kept as typed and always rendered escaped. The place
is typed as text and resolved on the server (``territories.selectors``), so
the form works without JavaScript; the autocomplete only helps typing.
"""

from django import forms
from django.urls import reverse_lazy

from initiatives.models import Actor, Involvement, Proposal, Theme
from initiatives.text import normalise_name
from territories.selectors import place_context, place_label, resolve_place

TOO_LONG = "%(what)s ne doit pas dépasser %%(limit_value)d caractères (vous en avez saisi %%(show_value)d)."
VISIBLE_ACTOR_ROWS = 3


def _too_long(what):
    return {"max_length": TOO_LONG % {"what": what}}


class MultilineField(forms.CharField):
    """Counts a line break as one character, as the browser's ``maxlength`` does
    (browsers send "\\r\\n", which would otherwise count twice)."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class ActorRowForm(forms.Form):
    """One actor of the proposal; a row without a name is ignored."""

    KIND_CHOICES = [
        ("", "je ne sais pas"),
        (Actor.Kind.FORMAL, "formel (association, entreprise, fondation…)"),
        (Actor.Kind.INFORMAL, "informel (habitant·es, collectif sans statut…)"),
        (Actor.Kind.INSTITUTIONAL, "institutionnel (commune, État, CAF, école, bailleur…)"),
    ]
    ROLE_CHOICES = [
        (Involvement.Role.CARRIER, "porteur (a mené l'action)"),
        (Involvement.Role.PARTNER, "partenaire"),
        (Involvement.Role.FUNDER, "financeur"),
        (Involvement.Role.RELAY, "relais"),
    ]

    name = forms.CharField(
        label="Nom", required=False, max_length=Proposal.ACTOR_NAME_MAX, error_messages=_too_long("Le nom")
    )
    kind = forms.ChoiceField(label="Type", choices=KIND_CHOICES, required=False)
    role = forms.ChoiceField(label="Rôle", choices=ROLE_CHOICES, initial=Involvement.Role.CARRIER)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name and not normalise_name(name):
            raise forms.ValidationError("Ce nom ne contient ni lettre ni chiffre.")
        return name

    def has_changed(self):
        # Only a name makes a row: a blank row whose role or type was touched is still blank.
        return bool((self.data.get(self.add_prefix("name")) or "").strip())


class IdChoiceField(forms.ModelMultipleChoiceField):
    """Ids that are not small positive integers are refused before they reach the database
    (SQLite raises OverflowError on a 25-digit integer: a 500 instead of a form error)."""

    def _check_values(self, value):
        for item in value:
            text = str(item)
            if not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:30]}
                )
        return super()._check_values(value)


class ProposalForm(forms.Form):
    required_css_class = "required"  # the label gets " *" (static/css/site.css)

    title = forms.CharField(
        label="Titre de l'initiative",
        max_length=Proposal.TITLE_MAX,
        help_text="En quelques mots : ce qui a été fait, et par qui. Exemple : « Une antenne au Val Fourré ».",
        error_messages={**_too_long("Le titre"), "required": "Donnez un titre à l'initiative."},
    )
    description = MultilineField(
        label="Ce qui a été fait",
        max_length=Proposal.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Le besoin, les actions, les publics, la période, ce qui a marché ou non "
        f"({Proposal.DESCRIPTION_MAX} caractères au plus).",
        error_messages={**_too_long("La description"), "required": "Décrivez l'initiative en quelques phrases."},
    )
    place = forms.CharField(
        label="Lieu",
        required=False,
        max_length=Proposal.PLACE_MAX,
        help_text="Commune, arrondissement ou quartier, par exemple « Mantes-la-Jolie » ou « Val Fourré ». "
        "Laissez vide pour une initiative nationale ou si vous ne savez pas.",
        error_messages=_too_long("Le lieu"),
        # The script (static/js/place-autocomplete.js) reads its lookup address and list id here.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-place-lookup": reverse_lazy("proposals:places"),
                "data-place-list": "place-options",
            }
        ),
    )
    themes = IdChoiceField(
        label="Thèmes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Ce thème n'existe pas.", "invalid_pk_value": "Ce thème n'existe pas."},
    )
    source = MultilineField(
        label="Source ou lien",
        required=False,
        max_length=Proposal.SOURCE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Où l'initiative est-elle décrite ? Un rapport, un article, une page web…",
        error_messages=_too_long("La source"),
    )
    contact_email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Privée : seule l'équipe du centre de ressources la voit, pour vous poser une question "
        "si besoin. Elle n'est jamais publiée.",
        error_messages={
            **_too_long("L'adresse"),
            "required": "Indiquez une adresse e-mail où l'équipe peut vous répondre.",
            "invalid": "Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Honeypot: hidden from people (CSS, aria-hidden, out of the tab order); bots fill it.
    website = forms.CharField(
        label="Laissez ce champ vide",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place_resolution = None
        self.actor_rows = [
            ActorRowForm(
                self.data if self.is_bound else None,
                prefix=f"acteur-{i}",
                empty_permitted=True,
                use_required_attribute=False,
            )
            for i in range(Proposal.ACTORS_MAX)
        ]

    # Validation

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("place") or ""
        cleaned["place_territory"] = None
        if text:
            raw_choice = str(self.data.get("place_choice") or "")
            choice = int(raw_choice) if raw_choice.isdigit() and len(raw_choice) < 12 else None
            resolution = resolve_place(text, choice=choice)
            self.place_resolution = resolution
            if resolution.place is not None:
                cleaned["place_territory"] = resolution.place
            elif resolution.candidates and resolution.exact:
                self.add_error("place", "Plusieurs lieux portent ce nom : choisissez le vôtre dans la liste.")
            elif resolution.candidates:
                self.add_error(
                    "place", "Aucun lieu ne porte exactement ce nom : choisissez-en un dans la liste, ou corrigez."
                )
            else:
                self.add_error(
                    "place",
                    "Lieu introuvable. Tapez le nom d'une commune, d'un arrondissement ou d'un quartier "
                    "prioritaire (QPV), ou laissez le champ vide.",
                )
        return cleaned

    def is_valid(self):
        invalid_rows = [row for row in self.actor_rows if not row.is_valid()]  # every row, not just the first
        return super().is_valid() and not invalid_rows

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    # What the view and the template need

    def submission(self) -> dict:
        """Keyword arguments of ``initiatives.proposals.submit_proposal``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "place": data["place_territory"],
            "place_text": data["place"],
            "themes": list(data["themes"]),
            "actors": self.actors(),
            "source": data["source"],
            "contact_email": data["contact_email"],
        }

    def actors(self) -> list[dict]:
        return [
            {"name": row.cleaned_data["name"], "kind": row.cleaned_data["kind"], "role": row.cleaned_data["role"]}
            for row in self.actor_rows
            if row.cleaned_data.get("name")
        ]

    def place_candidates(self):
        """(place, label, context) to choose from when the typed place is ambiguous."""
        resolution = self.place_resolution
        if resolution is None or resolution.place is not None:
            return []
        return [(p, place_label(p), place_context(p)) for p in resolution.candidates]

    def theme_groups(self):
        """(root, [(theme, checked), ...]) with the root itself first: the checkboxes by action nature."""
        if self.is_bound:
            selected = {str(v) for v in self.data.getlist("themes")} if hasattr(self.data, "getlist") else set()
        else:
            selected = {str(getattr(t, "pk", t)) for t in self.initial.get("themes", [])}
        themes = list(Theme.objects.order_by("position", "name"))
        groups = []
        for root in (t for t in themes if t.parent_id is None):
            members = [root] + [t for t in themes if t.parent_id == root.pk]
            groups.append((root, [(t, str(t.pk) in selected) for t in members]))
        return groups

    def error_summary(self):
        """(anchor id, label, message) of every error, for the summary at the top of the form."""
        items = [(f.id_for_label or f.auto_id, f.label, e) for f in self if f.name != "website" for e in f.errors]
        for number, row in enumerate(self.actor_rows, start=1):
            items += [(f.id_for_label, f"Acteur {number}, {f.label.lower()}", e) for f in row for e in f.errors]
        return items

    def extra_rows_open(self) -> bool:
        """Open the "more actors" box when one of its rows holds something."""
        return any(row.has_changed() for row in self.actor_rows[VISIBLE_ACTOR_ROWS:])

    def visible_actor_rows(self):
        return self.actor_rows[:VISIBLE_ACTOR_ROWS]

    def extra_actor_rows(self):
        return self.actor_rows[VISIBLE_ACTOR_ROWS:]
