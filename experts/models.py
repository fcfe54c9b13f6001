"""Every model of the experts app, gathered for Django and for callers; each is defined with
its concern: the pool (experts.pool.models), the on-site review (experts.review.models) and
the committees (experts.committees.models)."""
from experts.committees.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    Committee,
    CommitteeMember,
    Meeting,
    MeetingMove,
    MinutesRevision,
    MinutesSignature,
    Recusal,
    SealedBallot,
    WrittenDecision,
)
from experts.pool.models import (
    PROVINCES,
    Appointment,
    Conflict,
    Evaluator,
    Expert,
    ExpertFile,
    Specialty,
    Title,
    TrainingRecord,
    TrainingSession,
    consent_validator,
)
from experts.review.models import Challenge, GroupReport, Invitation, ReportSignature, SecondApproval, Visit

__all__ = [
    "PROVINCES", "AgendaItem", "Appointment", "Attendance", "Ballot", "BallotCast", "Challenge", "Committee",
    "CommitteeMember", "Conflict", "Evaluator", "Expert", "ExpertFile", "GroupReport", "Invitation", "Meeting",
    "MeetingMove", "MinutesRevision", "MinutesSignature", "Recusal", "ReportSignature", "SealedBallot",
    "SecondApproval", "Specialty", "Title", "TrainingRecord", "TrainingSession", "Visit", "WrittenDecision",
    "consent_validator",
]
