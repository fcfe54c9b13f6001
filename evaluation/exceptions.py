"""The evaluation error tree; views and admin buttons show each message as it is."""


class EvaluationError(Exception):
    """Base: the message says what is wrong and what to do."""


class NotEligible(EvaluationError):
    pass


class Incomplete(EvaluationError):
    pass


class AppealRefused(EvaluationError):
    pass


class CommitteeRuleBroken(EvaluationError):
    pass
