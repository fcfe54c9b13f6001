from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家库"
    role_permissions = {
        "evaluation_office": [
            "experts.view_evaluator", "experts.add_evaluator", "experts.change_evaluator",
            "experts.view_expert", "experts.change_expert", "experts.export_expert", "experts.view_appointment",
            "experts.view_expertfile", "experts.view_conflict", "experts.add_conflict",
            "experts.view_visit", "experts.add_visit", "experts.draw_visit", "experts.view_invitation",
            "experts.view_challenge", "experts.decide_challenge", "experts.view_groupreport",
            "experts.view_reportsignature", "experts.view_committee", "experts.view_committeemember",
            "experts.manage_committee", "experts.view_meeting", "experts.add_meeting", "experts.run_meeting", "experts.view_agendaitem",
            "experts.view_writtendecision", "experts.add_writtendecision", "experts.view_secondapproval",
            "experts.view_meetingmove",
        ] + [f"experts.{action}_{model}" for model in ("trainingsession", "trainingrecord")
             for action in ("view", "add", "change")],
    }

    def ready(self):
        from core.certificates import register_certificate_lookup
        from core.downloads import register_downloadable
        from evaluation.panels import register_panel
        from evaluation.readers import register_reader
        from experts.committees import tasks as committees_tasks  # noqa: F401  (the tasks register with Celery)
        from experts.committees.selectors import sits_on_agenda
        from experts.models import Appointment, Expert, ExpertFile, GroupReport, Meeting, Visit, WrittenDecision
        from experts.pool import tasks as pool_tasks  # noqa: F401
        from experts.pool.selectors import letter_lookup
        from experts.review import tasks as review_tasks  # noqa: F401
        from experts.review.panels import visit_panel

        register_downloadable(Expert, ["consent_letter"])
        register_downloadable(Appointment, ["letter"])
        register_downloadable(ExpertFile, ["file"])
        register_downloadable(Visit, ["notice"])
        register_downloadable(GroupReport, ["pdf"])
        register_downloadable(Meeting, ["minutes_pdf"])
        register_downloadable(WrittenDecision, ["document"])
        register_reader(lambda user, evaluation: sits_on_agenda(user, evaluation))
        register_panel(visit_panel)
        register_certificate_lookup(letter_lookup)
