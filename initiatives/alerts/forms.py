"""The subscription form of the e-mail alerts: an address and a frequency (the search is the page's URL)."""

from django import forms

from initiatives.models import AlertSubscription


class SubscribeForm(forms.Form):
    required_css_class = "required"

    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Elle ne sert qu'à vous envoyer ces alertes ; elle est effacée quand vous vous désabonnez.",
        error_messages={
            "required": "Indiquez l'adresse e-mail où recevoir les alertes.",
            "invalid": "Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).",
            "max_length": "L'adresse ne doit pas dépasser %(limit_value)d caractères.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label="Fréquence",
        choices=[
            (AlertSubscription.Frequency.WEEKLY, "hebdomadaire : un e-mail par semaine au plus"),
            (AlertSubscription.Frequency.DAILY, "quotidienne : un e-mail par jour au plus"),
        ],
        initial=AlertSubscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une fréquence : hebdomadaire ou quotidienne."},
    )
    # Honeypot, as on the proposal form: hidden from people, filled by bots.
    website = forms.CharField(
        label="Laissez ce champ vide",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())
