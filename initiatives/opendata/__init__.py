"""Open data: the whole published base as CSV and JSON files described by a ``datapackage.json`` (/donnees/)."""
