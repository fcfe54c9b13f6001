from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "行业评价"
    role_permissions = {
        "evaluation_office": [
            f"evaluation.{action}_{model}"
            for model in ("programme", "programmedocument", "fee", "criterion", "option", "gradeband",
                          "provincialassociation")
            for action in ("view", "add", "change")
        ] + [
            "evaluation.view_evaluation", "evaluation.change_evaluation", "evaluation.view_submitteddocument",
            "evaluation.change_submitteddocument", "evaluation.view_deadline", "evaluation.view_appeal",
            "evaluation.view_objection", "evaluation.change_objection",
            "evaluation.view_assignment", "evaluation.add_assignment", "evaluation.view_answer",
            "evaluation.view_criterionscore", "evaluation.export_evaluation", "evaluation.view_supersededfile",
            "evaluation.view_evidence", "evaluation.view_provincialreview", "evaluation.change_provincialreview",
            "evaluation.view_applicationform", "evaluation.view_applicationformversion",
            "evaluation.view_spotcheck", "evaluation.change_spotcheck", "evaluation.view_rectificationreport",
            "evaluation.view_resultchange",
        ],
    }

    def ready(self):
        from django_fsm import can_proceed

        from core.certificates import register_certificate_lookup
        from core.downloads import register_downloadable
        from payments.payable import register_payable

        from . import tasks  # noqa: F401  (registers the Celery tasks services enqueue by name)
        from .models import (
            Appeal,
            ApplicationForm,
            Evaluation,
            Evidence,
            Objection,
            ProgrammeDocument,
            RectificationReport,
            SubmittedDocument,
            SupersededFile,
        )
        from .selectors import certificate_lookup
        from .services import evaluation_fee_paid

        register_downloadable(Evaluation, ["report", "certificate", "plaque", "final_report", "acceptance_notice"])
        register_downloadable(ApplicationForm, ["pdf"])
        register_downloadable(SubmittedDocument, ["file"])
        register_downloadable(ProgrammeDocument, ["template"])
        register_downloadable(Appeal, ["attachment"])
        register_downloadable(Objection, ["attachment"])
        register_downloadable(SupersededFile, ["file"])
        register_downloadable(Evidence, ["file"])
        register_downloadable(RectificationReport, ["file"])
        register_certificate_lookup(certificate_lookup)
        register_payable(Evaluation, due=lambda evaluation: can_proceed(evaluation.fee_paid),
                         paid=lambda *, payable, order, by: evaluation_fee_paid(evaluation_id=payable.pk, by=by))
