"""Public proposals (/proposer/): the form, the rate limit, routing to a centre, the
notification of its curators and the admin queue where they accept or reject them."""
