from django.apps import AppConfig


def _crud(*models, actions=("view", "add", "change")):
    return [f"education.{action}_{model}" for model in models for action in actions]


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "学分继教"
    role_permissions = {
        "education_office": [
            *_crud("project", "session", "lecturer", "quizquestion", "credityear"),
            "education.delete_session", "education.delete_lecturer", "education.delete_quizquestion",
            "education.approve_project", "education.run_checkin",
            "education.view_amendment", "education.view_registration", "education.change_registration",
            "education.view_attendance", "education.view_attendanceevent", "education.view_assessmentresult",
            "education.view_creditaward", "education.export_creditaward", "education.view_creditcertificate",
            "education.change_creditcertificate", "education.view_transcript",
        ],
        "finance": ["education.view_registration"],
    }

    def ready(self):
        from core.certificates import register_certificate_lookup
        from core.downloads import register_downloadable
        from payments.payable import register_payable

        from .credits import tasks  # noqa: F401  (registers the Celery tasks services enqueue by name)
        from .credits.selectors import certificate_lookup
        from .models import CreditCertificate, Registration, Transcript
        from .registration.services import registration_due, registration_paid

        register_downloadable(CreditCertificate, ["pdf"])
        register_downloadable(Transcript, ["pdf"])
        register_certificate_lookup(certificate_lookup)
        register_payable(Registration, due=registration_due,
                         paid=lambda *, payable, order, by: registration_paid(registration_id=payable.pk, order=order,
                                                                              by=by))
