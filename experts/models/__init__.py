"""The experts app's data, by concern: the pool (experts, terms, training, conflicts) and the
on-site review (visits, their auditable draws, invitations, challenges, the group report)."""
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
from .visits import Challenge, GroupReport, Invitation, ReportSignature, Visit

__all__ = [
    "PROVINCES", "Appointment", "Challenge", "Conflict", "Evaluator", "Expert", "ExpertFile", "GroupReport",
    "Invitation", "ReportSignature", "Specialty", "Title", "TrainingRecord", "TrainingSession", "Visit",
    "consent_validator",
]
