import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.downloads import file_url
from evaluation import services, views
from evaluation.deadlines import act_on_clocks
from evaluation.models import Evaluation
from evaluation.selectors import items_of
from experts.pool.evaluators import assignment_create
from membership.models import Member
from tests.core.files import pdf_bytes, upload
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import login

pytestmark = pytest.mark.django_db
S = Evaluation.State


def test_an_institution_applies_uploads_and_submits_through_its_pages(client):
    programme = h.credit()
    member = UnitMemberFactory(state=Member.State.ACTIVE)
    login(client, member.user)
    page = client.get(reverse("evaluation:apply", args=["credit"])).content.decode()
    assert programme.regulation_title in page and "承诺事项" in page
    refused = client.post(reverse("evaluation:apply", args=["credit"]), {"agree": "on"})
    assert "请逐项确认" in refused.content.decode()
    response = client.post(reverse("evaluation:apply", args=["credit"]),
                           {"agree": "on", "declarations": programme.declaration_list()})
    evaluation = Evaluation.objects.get(member=member)
    assert response["Location"] == reverse("evaluation:documents", args=[evaluation.pk])

    url = reverse("evaluation:documents", args=[evaluation.pk])
    first, *others = programme.documents.all()
    bad = client.post(url, {"action": "upload", f"file_{first.pk}": upload("申报表.pdf", b"<html>not a pdf</html>"),
                            f"file_{others[0].pk}": upload("好文件.pdf", pdf_bytes())})
    html = bad.content.decode()
    assert "不是有效的 PDF 文件" in html.split(f'data-document="{first.name}"')[1].split("</tr>")[0]
    assert evaluation.documents.get().original_name == "好文件.pdf"  # the good file of the same press is kept
    missing = client.post(url, {"action": "submit", "handler_name": "王经办", "handler_mobile": "13700000000"}, follow=True)
    assert "请上传：" in missing.content.decode()
    # One press of 提交 keeps every chosen file and submits.
    chosen = {f"file_{d.pk}": upload(f"{d.name}.pdf", pdf_bytes()) for d in programme.documents.all()}
    response = client.post(url, {"action": "submit", "handler_name": "王经办", "handler_mobile": "13700000000",
                                 **chosen}, follow=True)
    html = response.content.decode()
    assert "待受理" in html and "受理（10个工作日）" in html
    evaluation.refresh_from_db()
    assert evaluation.state == S.SUBMITTED


def test_the_office_accepts_with_the_admin_button_and_the_institution_pays(client):
    evaluation = h.submitted()
    login(client, h.office())
    change = client.get(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])).content.decode()
    assert "受理" in change and "不予受理" in change
    client.post(reverse("admin:evaluation_evaluation_transition", args=[evaluation.pk, "accept"]))
    evaluation.refresh_from_db()
    assert evaluation.state == S.AWAITING_PAYMENT
    client.logout()
    login(client, evaluation.member.user)
    page = client.get(reverse("evaluation:pay", args=[evaluation.pk])).content.decode()
    assert "¥8000.00" in page and evaluation.member.name in page


def test_the_questionnaire_page_saves_and_shows_the_running_self_score(client):
    evaluation = h.paid()
    login(client, evaluation.member.user)
    question = items_of(evaluation.programme).first()
    option = question.options.get(text="部分符合")
    url = reverse("evaluation:questionnaire", args=[evaluation.pk])
    page = client.post(url, {f"q{question.pk}": option.pk, "action": "save"}, follow=True).content.decode()
    assert 'data-maximum="30.00">16.67</strong> / 100' in page and "已保存" in page
    page = client.post(url, {f"q{question.pk}": option.pk, "action": "submit"}, follow=True).content.decode()
    assert "必答题未作答" in page


def test_an_appeal_after_the_window_is_refused_on_the_page_with_the_closing_date(client):
    evaluation = h.initial_result()
    closes = evaluation.deadlines.get(kind="appeal_window").due_on
    login(client, evaluation.member.user)
    assert "申请复议" in client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    with time_machine.travel(h.day_after(closes), tick=False):
        login(client, evaluation.member.user)  # days later: a new session
        page = client.post(reverse("evaluation:appeal", args=[evaluation.pk]), {"reasons": "有异议"},
                           follow=True).content.decode()
    assert f"复议申请期已于 {closes:%Y年%m月%d日} 结束" in page


def test_an_evaluator_sees_only_assigned_evaluations_and_their_files(client):
    mine = h.under_review()
    other = h.under_review()
    person = h.evaluator()
    assignment = assignment_create(evaluation=mine, evaluator=person, by=h.office())
    stranger_assignment = assignment_create(evaluation=other, evaluator=h.evaluator(name="他人"), by=h.office())
    login(client, person.user)
    workbench = client.get(reverse("experts:workbench")).content.decode()
    assert mine.member.name in workbench and other.member.name not in workbench
    assert client.get(reverse("experts:assignment", args=[assignment.pk])).status_code == 200
    assert client.get(reverse("experts:assignment", args=[stranger_assignment.pk])).status_code == 404
    assert client.get(file_url(mine.documents.first(), "file")).status_code == 200
    assert client.get(file_url(other.documents.first(), "file")).status_code == 404
    assert client.get(reverse("evaluation:detail", args=[other.pk])).status_code in (302, 404)


def test_the_evaluator_scores_on_the_workbench_within_the_points(client):
    evaluation = h.under_review()
    person = h.evaluator()
    assignment = assignment_create(evaluation=evaluation, evaluator=person, by=h.office())
    login(client, person.user)
    questions = list(items_of(evaluation.programme))
    url = reverse("experts:assignment", args=[assignment.pk])
    page = client.post(url, {f"score{questions[0].pk}": "12", "action": "save"}, follow=True).content.decode()
    assert "0 至 10 分之间" in page
    data = {f"score{q.pk}": "8" for q in questions} | {"comment": "整体良好", "action": "submit"}
    page = client.post(url, data, follow=True).content.decode()
    assert "确认提交评分？" in page and "得分 80.00 / 100" in page  # 提交评分 asks first
    assignment.refresh_from_db()
    assert assignment.state == "assigned"
    page = client.post(url, data | {"action": "confirm"}, follow=True).content.decode()
    assert "评分已提交" in page and "提交后不能再修改" in page  # the read-only page says why
    assignment.refresh_from_db()
    assert assignment.total == 80


def test_submitting_with_items_unscored_says_how_many_and_offers_no_confirmation(client):
    evaluation = h.under_review()
    person = h.evaluator()
    assignment = assignment_create(evaluation=evaluation, evaluator=person, by=h.office())
    login(client, person.user)
    questions = list(items_of(evaluation.programme))
    url = reverse("experts:assignment", args=[assignment.pk])
    data = {f"score{q.pk}": "8" for q in questions[1:]} | {"comment": "", "action": "submit"}
    page = client.post(url, data, follow=True).content.decode()
    assert "还有 1 项未评分，不能提交" in page and questions[0].code in page
    assert 'value="confirm"' not in page and "确认提交评分？" not in page


def test_a_task_whose_evaluation_waits_for_more_material_is_not_listed_as_to_score(client):
    evaluation = h.under_review()
    person = h.evaluator()
    assignment_create(evaluation=evaluation, evaluator=person, by=h.office())
    login(client, person.user)
    assert "去评分" in client.get(reverse("experts:workbench")).content.decode()
    Evaluation.objects.filter(pk=evaluation.pk).update(state="supplement")
    page = client.get(reverse("experts:workbench")).content.decode()
    assert 'data-testid="scoring-paused"' in page and "去评分" not in page and "待评分" not in page


def test_the_workbench_lists_open_tasks_first_with_their_clock_and_finished_apart(client):
    person = h.evaluator()
    done_evaluation, open_evaluation = h.under_review(), h.under_review()
    finished = assignment_create(evaluation=done_evaluation, evaluator=person, by=h.office())
    services.assignment_save_scores(assignment_id=finished.pk, by=person.user, comment="", submit=True,
                                    scores={q.pk: (Decimal(7), "") for q in
                                            items_of(done_evaluation.programme)})
    assignment_create(evaluation=open_evaluation, evaluator=person, by=h.office())
    login(client, person.user)
    html = client.get(reverse("experts:workbench")).content.decode()
    open_table = html.split('data-testid="open-tasks"')[1].split("</table>")[0]
    done_table = html.split('data-testid="done-tasks"')[1].split("</table>")[0]
    assert open_evaluation.member.name in open_table and "出具评价报告" in open_table
    assert done_evaluation.member.name in done_table and "70.00 / 100" in done_table
    assert done_evaluation.member.name not in open_table


def test_another_member_cannot_open_an_evaluation_or_its_report(client):
    evaluation = h.initial_result()
    login(client, UnitMemberFactory(state=Member.State.ACTIVE).user)
    assert client.get(reverse("evaluation:detail", args=[evaluation.pk])).status_code == 404
    assert client.get(file_url(evaluation, "report")).status_code == 404


def test_the_public_sees_notices_objects_and_checks_the_registry(client, django_capture_on_commit_callbacks):
    evaluation = h.under_notice()
    page = client.get(reverse("evaluation:notices")).content.decode()
    assert evaluation.member.name in page and evaluation.grade in page
    client.post(reverse("evaluation:objection", args=[evaluation.pk]),
                {"name": "患者张某", "contact": "13600000000", "text": "该机构曾有违规收费"})
    assert evaluation.objections.get().name == "患者张某"
    services.objection_decide(objection_id=evaluation.objections.get().pk, upheld=False, reason="核查不属实",
                              by=h.office())
    with django_capture_on_commit_callbacks(execute=True):
        act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    registry = client.get(reverse("evaluation:registry") + f"?no={evaluation.certificate_no}").content.decode()
    assert evaluation.member.name in registry and "有效" in registry
    services.evaluation_revoke(evaluation_id=evaluation.pk, reason="摘牌", by=h.office(), **h.approved())
    registry = client.get(reverse("evaluation:registry") + f"?q={evaluation.member.name}").content.decode()
    assert "已撤销（作废）" in registry


def test_the_certificate_and_plaque_carry_the_name_grade_and_number(django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    evaluation = h.under_notice()
    with django_capture_on_commit_callbacks(execute=True):
        act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    for field in (evaluation.certificate, evaluation.plaque):
        with field.open("rb") as fh:
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
        assert evaluation.member.name in text and evaluation.grade in text and evaluation.certificate_no in text
    assert dt.date.today() < evaluation.valid_until


def test_anonymous_objections_are_rate_limited_per_address(client):
    evaluation = h.under_notice()
    url = reverse("evaluation:objection", args=[evaluation.pk])
    allowed = int(views.OBJECTION_RATE.split("/")[0])
    for n in range(allowed):
        client.post(url, {"name": f"公众{n}", "contact": "13600000000", "text": "异议"})
    html = client.post(url, {"name": "公众X", "contact": "13600000000", "text": "异议"}).content.decode()
    assert "操作过于频繁" in html
    assert evaluation.objections.count() == allowed
    client.post(url, {"name": "另一地址", "contact": "13600000000", "text": "异议"}, REMOTE_ADDR="10.0.0.8")
    assert evaluation.objections.count() == allowed + 1


def test_the_evaluation_fee_pages_belong_to_the_evaluation(client):
    evaluation = h.accepted()
    login(client, evaluation.member.user)
    page = client.post(reverse("evaluation:pay", args=[evaluation.pk]),
                       {"invoice_email": "a@b.cn", "invoice_mobile": "13700000000"}, follow=True).content.decode()
    assert "社会信用评价 · 缴纳评价费" in page and "自评问卷" in page  # its title, its steps, its next step
    assert "会员缴费" not in page and "电子证书" not in page and "评价评价费" not in page
    assert "社会信用评价费" in page


def test_everyone_hears_of_their_next_step(django_capture_on_commit_callbacks):
    office = h.office()
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = h.paid(h.accepted(by=office))
    assert office.messages.filter(subject__startswith="评价费已到账").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        h.under_review(evaluation)
    assert office.messages.filter(subject__startswith="自评问卷已提交").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        person = h.scored(evaluation, Decimal(9), by=office)
    message = person.user.messages.get(subject__startswith="新的评价任务")
    assert message.url == reverse("experts:assignment", args=[evaluation.assignments.get().pk])
    assert office.messages.filter(subject__startswith="评分已全部提交").count() == 1


def test_one_certificate_check_answers_evaluation_certificates_too(client):
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    html = client.get(reverse("membership:certificate_check"), {"no": evaluation.certificate_no.lower()}).content.decode()
    result = html.split('data-testid="certificate-result"')[1]
    assert "社会信用评价证书" in result and evaluation.member.name in result and evaluation.grade in result
    assert "有效" in result
    missing = client.get(reverse("membership:certificate_check"), {"no": "XY000"}).content.decode()
    assert "未查到证书编号为“XY000”的证书" in missing


def test_the_done_page_reloaded_after_the_result_is_out_no_longer_asks_to_wait(client):
    evaluation = h.under_review()
    login(client, evaluation.member.user)
    url = reverse("evaluation:questionnaire_done", args=[evaluation.pk])
    assert "请耐心等待评价结果" in client.get(url).content.decode()
    result = h.initial_result(evaluation)
    page = client.get(url).content.decode()
    assert "请耐心等待评价结果" not in page and "评价结果已出具" in page and result.get_state_display() in page
