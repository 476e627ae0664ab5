"""Room for what the reports learned beyond the cases: lessons drawn from the reports and
the resources (publications, guides) they point to, with their pages. Empty for now."""
