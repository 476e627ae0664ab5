"""The case files of ``fixtures/cases/*.yaml``: reading and checking them (``check``), the
verbatim comparison of excerpts with the reports (``verbatim``), loading them into the base
(``loaders``). ``python -m initiatives.casefiles [FILE ...]`` checks files while they are edited."""
