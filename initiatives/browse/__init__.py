"""Public browsing of the cases: facets, the FilterSet, search, the browse selector, the
derived browse data (``keys``: the writer; ``bitsets``: each process's in-memory reader),
and the public pages (``views``, ``urls``)."""
