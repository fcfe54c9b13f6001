from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "行业评价"
    role_permissions = {
        "evaluation_office": [
            f"evaluation.{action}_{model}"
            for model in ("programme", "programmedocument", "fee", "criterion", "option", "gradeband")
            for action in ("view", "add", "change")
        ] + [
            "evaluation.view_evaluation", "evaluation.change_evaluation", "evaluation.view_submitteddocument",
            "evaluation.change_submitteddocument", "evaluation.view_deadline", "evaluation.view_appeal",
            "evaluation.view_committeemeeting", "evaluation.view_objection", "evaluation.change_objection",
            "evaluation.view_assignment", "evaluation.add_assignment", "evaluation.view_answer",
            "evaluation.view_criterionscore", "evaluation.export_evaluation", "evaluation.view_supersededfile", "evaluation.view_evidence",
        ],
    }

    def ready(self):
        from core.certificates import register_certificate_lookup
        from core.downloads import register_downloadable

        from .models import (
            Appeal,
            Evaluation,
            Evidence,
            Objection,
            ProgrammeDocument,
            SubmittedDocument,
            SupersededFile,
        )
        from .selectors import certificate_lookup

        register_downloadable(Evaluation, ["report", "certificate", "plaque", "final_report"])
        register_downloadable(SubmittedDocument, ["file"])
        register_downloadable(ProgrammeDocument, ["template"])
        register_downloadable(Appeal, ["attachment"])
        register_downloadable(Objection, ["attachment"])
        register_downloadable(SupersededFile, ["file"])
        register_downloadable(Evidence, ["file"])
        register_certificate_lookup(certificate_lookup)
        from django.utils import timezone

        from core.admin_queues import Queue, register_queue

        from .models import Deadline

        register_queue(Queue("待受理评价申请", "evaluation.change_evaluation", "admin:evaluation_evaluation_changelist",
                             "state__exact=submitted", lambda: Evaluation.objects.filter(state="submitted").count()))
        register_queue(Queue("待答复复议", "evaluation.change_evaluation", "admin:evaluation_evaluation_changelist",
                             "state__exact=appealed", lambda: Evaluation.objects.filter(state="appealed").count()))
        register_queue(Queue("待处理公示异议", "evaluation.change_objection", "admin:evaluation_objection_changelist",
                             "decision__exact=pending", lambda: Objection.objects.filter(decision="pending").count()))
        register_queue(Queue("逾期评价时限", "evaluation.change_evaluation", "admin:evaluation_evaluation_changelist",
                             "", lambda: Deadline.objects.filter(met_at__isnull=True,
                                                                 due_on__lt=timezone.localdate()).count(), urgent=True))
