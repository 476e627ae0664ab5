"""The read-only JSON API (``views``, ``urls``) and its OpenAPI document (``openapi``).
The open-data files (the whole base as a dataset) will live here too."""
