"""National industry evaluations' data, one module per concern (every model is importable from
``evaluation.models``): programme set-up, the evaluation and its files, assignments and scores,
the online application form, provincial review and supervision.

The engine both programmes share, and what is credit-only.

Shared: Programme (regulation, document templates, fee schedule), Evaluation (the state
machine), SubmittedDocument (every version kept), Deadline (stored working-day timers),
Appeal, Objection, Criterion (the standard) and CriterionScore. Credit-only: the
self-assessment Options on criteria,
the institution's Answers, and GradeBand (score → grade).
"""
from .application_form import ApplicationForm, ApplicationFormVersion
from .evaluation import Answer, Appeal, Deadline, Evaluation, Objection
from .files import Evidence, SubmittedDocument, SupersededFile, evidence_validator
from .programme import (
    Criterion,
    Fee,
    GradeBand,
    Option,
    Programme,
    ProgrammeDocument,
    document_validator,
    report_validator,
)
from .scoring import Assignment, CriterionScore
from .supervision import ProvincialAssociation, ProvincialReview, RectificationReport, ResultChange, SpotCheck

__all__ = [
    "Answer",
    "Appeal",
    "ApplicationForm",
    "ApplicationFormVersion",
    "Assignment",
    "Criterion",
    "CriterionScore",
    "Deadline",
    "Evaluation",
    "Evidence",
    "Fee",
    "GradeBand",
    "Objection",
    "Option",
    "Programme",
    "ProgrammeDocument",
    "ProvincialAssociation",
    "ProvincialReview",
    "RectificationReport",
    "ResultChange",
    "SpotCheck",
    "SubmittedDocument",
    "SupersededFile",
    "document_validator",
    "evidence_validator",
    "report_validator",
]
