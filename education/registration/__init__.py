"""Registration for a project: the participant's details, the fee (a payable), the
confirmation, and the participant's own list of registrations."""
