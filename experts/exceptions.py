"""The experts error tree; views and admin forms show each message as it is."""


class ExpertsError(Exception):
    """Base: the message says what is wrong and what to do."""


class AssignmentRefused(ExpertsError):
    """The evaluator may not take this evaluation (inactive, conflicted, or already on it)."""
