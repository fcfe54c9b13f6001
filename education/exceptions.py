"""The education error tree; views and admin buttons show each message as it is."""


class EducationError(Exception):
    """Base: the message says what is wrong and what to do."""


class ProjectRuleBroken(EducationError):
    """A project step its rules refuse (an amendment without a reason, a change after approval
    without an amendment, sessions beyond the project's dates, ...)."""


class RegistrationRefused(EducationError):
    """The person may not register now (closed, full, already registered, ...)."""


class ScanRefused(EducationError):
    """A check-in or check-out that records nothing: an old or foreign code, a second scan,
    outside the session's window, not registered."""


class AssessmentRefused(EducationError):
    """A quiz or result that cannot be taken or entered now."""


class CertificateRefused(EducationError):
    """A certificate step refused (voiding without a reason, voiding a void one)."""
