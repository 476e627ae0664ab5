"""Room for following a search: Atom feeds of a list and e-mail subscriptions with their
digests. Empty for now."""
