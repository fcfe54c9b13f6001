"""Drive an evaluation through its states with the real services."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from evaluation import services
from evaluation.models import Evaluation, Fee, Option, Programme
from evaluation.selectors import items_of
from experts.models import Evaluator
from experts.pool.evaluators import assignment_create
from membership.models import Member
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes, upload
from tests.membership.factories import UnitMemberFactory


def credit() -> Programme:
    if not Programme.objects.filter(kind="credit").exists():
        # Browser tests flush the database between tests, data migrations' rows included.
        from importlib import import_module

        from django.apps import apps

        import_module("evaluation.migrations.0002_credit_programme").create(apps, None)
    programme = Programme.objects.get(kind="credit")
    if not programme.criteria.exists():
        options = [("完全符合", 10), ("部分符合", 5), ("不符合", 0)]
        services.standard_import(programme=programme, chapters=[
            {"text": "基本信用", "items": [{"text": f"问题{n}", "options": options} for n in range(1, 4)]}])
        Fee.objects.get_or_create(programme=programme, institution_type="口腔门诊部", defaults={"amount": Decimal("8000")})
    return programme


def office():
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="评价办公室"))
    return user


def evaluator(**kwargs) -> Evaluator:
    return Evaluator.objects.create(user=UserFactory(), name=kwargs.pop("name", "评价员"), organisation="某信用评价公司",
                                    **kwargs)


def started(member=None) -> Evaluation:
    programme = credit()
    member = member or UnitMemberFactory(state=Member.State.ACTIVE)
    return services.evaluation_start(member=member, programme=programme, declarations=programme.declaration_list(),
                                     by=member.user)


def submitted(evaluation=None) -> Evaluation:
    evaluation = evaluation or started()
    for document in evaluation.programme.documents.all():
        services.evaluation_upload_document(evaluation_id=evaluation.pk, document_id=document.pk,
                                            file=upload(f"{document.name}.pdf", pdf_bytes()), by=evaluation.member.user)
    return services.evaluation_submit(evaluation_id=evaluation.pk, handler_name="王经办", handler_mobile="13700000000",
                                      by=evaluation.member.user)


def accepted(evaluation=None, by=None) -> Evaluation:
    evaluation = evaluation or submitted()
    return services.evaluation_accept(evaluation_id=evaluation.pk, by=by or office())


def paid(evaluation=None) -> Evaluation:
    from payments import sandbox
    from payments import services as payments

    evaluation = evaluation or accepted()
    order = payments.order_for_payable(payable=evaluation, invoice_email="a@b.cn", invoice_mobile="13700000000")
    order = payments.order_start_wechat(order_id=order.pk)
    payments.wechat_transaction_apply(
        resource=sandbox.transaction_resource(sandbox.sandbox_pay(out_trade_no=order.out_trade_no)), source="query")
    evaluation.refresh_from_db()
    return evaluation


def answer_all(evaluation, option_text="完全符合"):
    answers = {o.criterion_id: o.pk for o in Option.objects.filter(
        criterion__programme=evaluation.programme, text=option_text)}
    return services.evaluation_save_answers(evaluation_id=evaluation.pk, answers=answers, by=evaluation.member.user)


def under_review(evaluation=None) -> Evaluation:
    evaluation = evaluation or paid()
    answer_all(evaluation)
    return services.evaluation_submit_self_assessment(evaluation_id=evaluation.pk, by=evaluation.member.user)


def scored(evaluation, points_each: Decimal, by=None):
    person = evaluator()
    assignment = assignment_create(evaluation=evaluation, evaluator=person, by=by or office())
    questions = items_of(evaluation.programme)
    services.assignment_save_scores(assignment_id=assignment.pk, by=person.user, comment="评价意见", submit=True,
                                    scores={q.pk: (Decimal(points_each), "") for q in questions})
    return person


def initial_result(evaluation=None, points_each=Decimal(9)) -> Evaluation:
    evaluation = evaluation or under_review()
    scored(evaluation, points_each)
    return services.evaluation_initial_result(evaluation_id=evaluation.pk, report=upload("report.pdf", pdf_bytes()),
                                              by=office())




def in_committee(evaluation=None) -> Evaluation:
    from evaluation.deadlines import act_on_clocks

    evaluation = evaluation or initial_result()
    window = evaluation.deadlines.get(kind="appeal_window")
    act_on_clocks(day_after(window.due_on))
    evaluation.refresh_from_db()
    return evaluation


def under_notice(evaluation=None) -> Evaluation:
    evaluation = evaluation or in_committee()
    services.evaluation_committee_decide(evaluation_id=evaluation.pk, option="approve", record="评价领导小组会议通过",
                                         by=office())
    evaluation.refresh_from_db()
    return evaluation


def day_after(day: dt.date) -> dt.datetime:
    """09:00 on the day after ``day``, Shanghai time: when a scan finds the clock run out."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9)))


def approved() -> dict:
    """The leading group's approval a downgrade or revocation must name (004 §23)."""
    return {"approval": "评价领导小组 2026 年第 3 次会议核准", "approved_on": timezone.localdate()}
