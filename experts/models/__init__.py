"""The experts app's data, by concern: the pool (experts, terms, training, conflicts), the
on-site review (visits, their auditable draws, invitations, challenges, the group report) and
the committees (members, chair and secretary)."""
from .committees import Committee, CommitteeMember
from .meetings import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    Meeting,
    MeetingMove,
    MinutesRevision,
    MinutesSignature,
    Recusal,
    SealedBallot,
    WrittenDecision,
)
from .pool import (
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
from .visits import Challenge, GroupReport, Invitation, ReportSignature, SecondApproval, Visit

__all__ = [
    "AgendaItem", "Attendance", "Ballot", "BallotCast", "Meeting", "MeetingMove", "MinutesRevision", "MinutesSignature", "Recusal", "SealedBallot",
    "WrittenDecision",
    "PROVINCES", "Appointment", "Challenge", "Committee", "CommitteeMember", "Conflict", "Evaluator", "Expert", "ExpertFile", "GroupReport",
    "Invitation", "ReportSignature", "SecondApproval", "Specialty", "Title", "TrainingRecord", "TrainingSession", "Visit",
    "consent_validator",
]
