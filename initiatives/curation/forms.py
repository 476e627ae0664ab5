"""The forms of the case admin: the case itself (its editorial workflow) and its involvements."""

from django import forms
from django.core.exceptions import ValidationError

from initiatives.curation.review import eligible_reviewers, reviewer_problem
from initiatives.models import Initiative, Involvement
from initiatives.services import TRANSITIONS, publication_problem, status_problem
from initiatives.text import sentence

Status = Initiative.Status


class InitiativeAdminForm(forms.ModelForm):
    """The case form. The status menu offers only where the workflow may go from the case's status
    (``services.TRANSITIONS``); the same rules are checked again on save, with the four-eyes rule
    of the curating centre. ``user`` is set by the admin (``InitiativeAdmin.get_form``)."""

    user = None

    class Meta:
        model = Initiative
        fields = ["status"]  # the admin passes the fields of its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.current_status()
        if "status" in self.fields:
            allowed = {current, *TRANSITIONS[current]} if current else set(Status) - {Status.ARCHIVED}
            # The menu offers the allowed moves; any other value posted is refused by clean_status, which says why.
            self.fields["status"].widget.choices = [(s.value, s.label) for s in Status if s in allowed]
            if current:
                help_text = f"Statut actuel : {current.label}. Seuls les passages permis sont proposés."
                self.fields["status"].help_text = help_text
        if "reviewer" in self.fields and self.instance.curating_centre_id:
            self.fields["reviewer"].queryset = eligible_reviewers(self.instance.curating_centre)

    def current_status(self):
        """The case's status as saved (a restore shows the version's fields but keeps this status)."""
        if self.instance.pk is None:
            return None
        kept = getattr(self.instance, "_status_before_restore", None)
        if kept:
            return Status(kept)
        return Status(Initiative.objects.filter(pk=self.instance.pk).values_list("status", flat=True)[0])

    def clean_status(self):
        status = Status(self.cleaned_data["status"])
        problem = status_problem(self.current_status(), status)
        if problem:
            raise ValidationError(sentence(problem))
        return status

    def clean(self):
        cleaned = super().clean()
        status, centre = cleaned.get("status"), cleaned.get("curating_centre") or self.instance.curating_centre
        if status and self.instance.pk is not None:
            probe = Initiative(
                status=self.current_status(), curating_centre=centre, submitted_by_id=self.instance.submitted_by_id
            )
            problem = publication_problem(probe, status, self.user)
            if problem:
                self.add_error("status", sentence(problem))
        reviewer = cleaned.get("reviewer")
        if reviewer is not None and centre is not None:
            problem = reviewer_problem(reviewer, centre)
            if problem:
                self.add_error("reviewer", sentence(problem))
        return cleaned


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Involvement
        fields = ["actor", "role", "note"]

    def clean_actor(self):
        # Unnamed actors ("deux résidentes") belong to their own case: a crafted POST cannot borrow one.
        actor = self.cleaned_data["actor"]
        if actor is not None and actor.is_unnamed:
            elsewhere = actor.involvements.exclude(initiative_id=self.instance.initiative_id)
            if self.instance.initiative_id is None:
                elsewhere = actor.involvements.all()
            if elsewhere.exists():
                raise ValidationError("Cet acteur sans nom appartient à un autre cas : créez-en un pour celui-ci.")
        return actor
