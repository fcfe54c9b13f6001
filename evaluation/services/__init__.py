"""Every write in evaluation, by concern. Each step locks the evaluation, takes one transition
of its programme's graph (logged by django-fsm-log), keeps the working-day clocks in step and
notifies after commit (_common.evaluation_move). Import from here: the layout inside may change.
"""
from ._common import locked_evaluation, tell_member, tell_office
from .appeal import evaluation_answer_appeal, evaluation_appeal, evaluation_close_appeal_window
from .application import (
    evaluation_accept,
    evaluation_reject,
    evaluation_remove_document,
    evaluation_request_supplement,
    evaluation_resubmit_supplement,
    evaluation_return,
    evaluation_start,
    evaluation_submit,
    evaluation_upload_document,
)
from .application_form import acceptance_notice_render, application_form_render, application_form_save
from .clocks import clock_act_now, clocks_act, clocks_remind, results_expire
from .evidence import evaluation_reopen_evidence, evaluation_submit_evidence, evidence_add, evidence_remove
from .notice import notice_end, objection_decide, objection_submit
from .on_site import evaluation_send_to_committee, evaluation_start_visit
from .provincial import provincial_review_decide, provincial_review_lapse
from .publication import (
    evaluation_downgrade,
    evaluation_expire,
    evaluation_extend,
    evaluation_publish,
    evaluation_revoke,
    evaluation_upload_final_report,
)
from .result import evaluation_committee_decide, evaluation_initial_result
from .scoring import (
    assignment_create,
    assignment_recuse,
    assignment_save_scores,
    evaluators_score,
    standard_import,
)
from .self_assessment import (
    evaluation_fee_paid,
    evaluation_save_answers,
    evaluation_submit_self_assessment,
    out_of_100,
    self_score,
)
from .supervision import (
    rectification_report_submit,
    rectification_review,
    rectifications_overdue,
    spot_check_close,
    spot_check_record,
)

__all__ = [
    "acceptance_notice_render", "application_form_render", "application_form_save",
    "provincial_review_decide", "provincial_review_lapse",
    "assignment_create", "assignment_recuse", "assignment_save_scores", "clock_act_now",
    "clocks_act", "clocks_remind", "evaluation_accept", "evaluation_answer_appeal", "evaluation_appeal",
    "evaluation_close_appeal_window", "evaluation_reopen_evidence", "evaluation_submit_evidence", "evidence_add",
    "evidence_remove", "evaluation_downgrade", "evaluation_expire", "evaluation_extend",
    "evaluation_fee_paid", "evaluation_initial_result", "evaluation_publish", "evaluation_committee_decide",
    "evaluation_reject", "evaluation_send_to_committee", "evaluation_start_visit", "evaluation_remove_document", "evaluation_request_supplement",
    "evaluation_resubmit_supplement", "evaluation_return", "evaluation_revoke", "evaluation_save_answers",
    "evaluation_start", "evaluation_submit", "evaluation_submit_self_assessment", "evaluation_upload_document",
    "evaluation_upload_final_report", "evaluators_score", "locked_evaluation", "notice_end",
    "objection_decide", "objection_submit", "out_of_100", "results_expire", "self_score", "standard_import",
    "tell_member", "tell_office", "spot_check_record", "spot_check_close", "rectification_report_submit",
    "rectification_review", "rectifications_overdue",
]
