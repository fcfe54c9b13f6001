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


class MissingReason(EvaluationError):
    """A decision that must say why was taken without a reason."""


class AlreadyDecided(EvaluationError):
    """Someone else decided this first."""


class ResultChangeRefused(EvaluationError):
    """A downgrade, extension or other change to a published result that the rules forbid."""


class WrongState(EvaluationError):
    """The evaluation moved on (another click, another person) before this step."""


class SupervisionRefused(EvaluationError):
    """A spot check or rectification step the rules do not allow now (004 §21-22)."""
