"""What resource-centre curators and administrators use in the Django admin: the case admin
(workflow, history with diffs and restore, data quality), reference data, territories and centres."""
