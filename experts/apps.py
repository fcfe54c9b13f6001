from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家库"
    role_permissions = {
        "evaluation_office": ["experts.view_evaluator", "experts.add_evaluator", "experts.change_evaluator"],
    }
