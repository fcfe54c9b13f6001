"""Every model of the education app, gathered for Django and for callers; each is defined with
its concern (projects, registration, attendance, assessment, credits)."""
from education.assessment.models import AssessmentResult
from education.attendance.models import Attendance, AttendanceEvent
from education.credits.models import CreditAward, CreditCertificate, Transcript
from education.projects.models import Amendment, CreditYear, Lecturer, Project, QuizQuestion, Session
from education.registration.models import Registration

__all__ = [
    "Amendment", "AssessmentResult", "Attendance", "AttendanceEvent", "CreditAward", "CreditCertificate",
    "CreditYear", "Lecturer", "Project", "QuizQuestion", "Registration", "Session", "Transcript",
]
