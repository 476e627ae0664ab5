"""Django's admin autodiscovery entry: the admin pages live with their capability.

- ``initiatives.curation.admin``: cases (workflow, history, quality, spreadsheet import/export);
- ``initiatives.curation.reference_admin``: themes, publics, periods, sources, tags, actors;
- ``initiatives.curation.places_admin``: territories and resource centres;
- ``initiatives.proposals.admin``: the queue of public proposals;
- ``initiatives.knowledge.admin``: the reports' lessons and the resources they name;
- ``initiatives.alerts.admin``: the e-mail alerts' subscriptions (administrators only, read-only).
"""

from initiatives.alerts import admin as alerts_admin  # noqa: F401 — registers the alert subscriptions
from initiatives.curation import admin as cases_admin  # noqa: F401 — registers the case admin
from initiatives.curation import places_admin, reference_admin  # noqa: F401 — registers reference data
from initiatives.knowledge import admin as knowledge_admin  # noqa: F401 — registers lessons and resources
from initiatives.proposals import admin as proposals_admin  # noqa: F401 — registers the proposal queue
