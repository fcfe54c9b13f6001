"""The experts error tree; views and admin forms show each message as it is."""


class ExpertsError(Exception):
    """Base: the message says what is wrong and what to do."""


class AssignmentRefused(ExpertsError):
    """The evaluator may not take this evaluation (inactive, conflicted, or already on it)."""


class NotQualified(ExpertsError):
    """The applicant does not meet 004 §9; the message names each unmet condition."""


class PoolRuleBroken(ExpertsError):
    """A step the pool's rules refuse (a dismissal without one of §15's grounds, say)."""


class AlreadyApplied(ExpertsError):
    """An application from this person (account, mobile, email or ID number) is already in."""


class VisitRuleBroken(ExpertsError):
    """A step of the on-site review its rules refuse (a group size outside 5-11, a notice later
    than 7 working days before the visit, a challenge after its window, ...)."""


class ReportRuleBroken(ExpertsError):
    """A step of the group report refused (scores missing, not the head, an outdated version)."""


class CommitteeRuleBroken(ExpertsError):
    """A change to a committee its rules refuse (a size outside the regulation's range, a
    capability committee member who is not an appointed expert, a second chair)."""


class MeetingRuleBroken(ExpertsError):
    """A step of a committee meeting its rules refuse (a case not ready or met on twice, a
    vote outside the meeting's voting, no quorum, a second ballot, minutes signed by others)."""
