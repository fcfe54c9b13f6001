"""对照标准上传材料: several files per item with captions, history kept, submission refused while a
required item lacks evidence, frozen after submission, reopened by the office with a comment."""
import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from evaluation import services
from evaluation.exceptions import Incomplete
from evaluation.models import Criterion, Evaluation, Evidence, Programme
from evaluation.selectors import evidence_progress
from tests.core.files import pdf_bytes, png_bytes, upload
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    programme = Programme.objects.get(kind="capability")
    services.standard_import(programme=programme, chapters=[
        {"text": "机构管理", "items": [{"text": "执业许可", "max_points": 10, "evidence_required": True},
                                   {"text": "组织架构", "max_points": 10, "evidence_required": True}]},
        {"text": "服务", "items": [{"text": "满意度", "max_points": 10, "evidence_required": False}]}])
    member = UnitMemberFactory(state="active")
    created = Evaluation.objects.create(programme=programme, member=member, agreed_at=timezone.now())
    Evaluation.objects.filter(pk=created.pk).update(state=Evaluation.State.EVIDENCE)
    return Evaluation.objects.get(pk=created.pk)


def _items(evaluation):
    return list(Criterion.objects.filter(programme=evaluation.programme, parent__isnull=False).order_by("code"))


def test_several_files_per_item_and_removed_ones_are_kept(evaluation):
    first, *_ = _items(evaluation)
    user = evaluation.member.user
    a = services.evidence_add(evaluation_id=evaluation.pk, criterion_id=first.pk, file=upload("许可证.pdf", pdf_bytes()),
                              caption="正本", by=user)
    services.evidence_add(evaluation_id=evaluation.pk, criterion_id=first.pk, file=upload("副本.png", png_bytes()),
                          caption="副本", by=user)
    services.evidence_remove(evaluation_id=evaluation.pk, evidence_id=a.pk, by=user)
    assert Evidence.objects.filter(criterion=first).count() == 2  # nothing deleted
    current = Evidence.objects.filter(criterion=first, superseded_at__isnull=True)
    assert [e.caption for e in current] == ["副本"]


def test_submission_is_refused_listing_what_is_missing_then_freezes_the_evidence(evaluation):
    licence, structure, satisfaction = _items(evaluation)
    user = evaluation.member.user
    services.evidence_add(evaluation_id=evaluation.pk, criterion_id=licence.pk, file=upload("a.pdf", pdf_bytes()),
                          by=user)
    with pytest.raises(Incomplete, match=f"还有 1 个须上传佐证的条目没有材料：{structure.code}"):
        services.evaluation_submit_evidence(evaluation_id=evaluation.pk, by=user)
    services.evidence_add(evaluation_id=evaluation.pk, criterion_id=structure.pk, file=upload("b.pdf", pdf_bytes()),
                          by=user)
    evaluation = services.evaluation_submit_evidence(evaluation_id=evaluation.pk, by=user)
    assert evaluation.state == Evaluation.State.EXPERT_REVIEW
    with pytest.raises(Incomplete, match="不能修改"):
        services.evidence_add(evaluation_id=evaluation.pk, criterion_id=satisfaction.pk,
                              file=upload("c.pdf", pdf_bytes()), by=user)


def test_the_office_reopens_the_evidence_with_a_logged_comment(evaluation):
    licence, structure, _ = _items(evaluation)
    user = evaluation.member.user
    for item in (licence, structure):
        services.evidence_add(evaluation_id=evaluation.pk, criterion_id=item.pk, file=upload("a.pdf", pdf_bytes()),
                              by=user)
    services.evaluation_submit_evidence(evaluation_id=evaluation.pk, by=user)
    office = h.office()
    evaluation = services.evaluation_reopen_evidence(evaluation_id=evaluation.pk, comment="1.2 请补充组织架构图",
                                                     by=office)
    assert evaluation.state == Evaluation.State.EVIDENCE and evaluation.office_comment == "1.2 请补充组织架构图"
    log = StateLog.objects.for_(evaluation).get(transition="reopen_evidence")
    assert log.by == office and "组织架构图" in log.description


def test_the_evidence_page_keeps_every_chosen_file_and_shows_progress(client, evaluation):
    licence, structure, satisfaction = _items(evaluation)
    login(client, evaluation.member.user)
    url = reverse("evaluation:evidence", args=[evaluation.pk])
    response = client.post(url, {"action": "save", f"file_{licence.pk}": [upload("a.pdf", pdf_bytes()),
                                                                            upload("b.pdf", pdf_bytes())],
                                 f"caption_{licence.pk}": "许可证", f"file_{structure.pk}": upload("x.pdf", b"<html>")},
                           follow=True)
    html = response.content.decode()
    assert "不是有效的 PDF 文件" in html.split(f'data-item="{structure.code}"')[1].split("</li>")[0]
    assert Evidence.objects.filter(criterion=licence).count() == 2
    assert 'data-testid="evidence-progress">1 / 3<' in html
    refused = client.post(url, {"action": "submit"}, follow=True).content.decode()
    assert f"没有材料：{structure.code}" in refused
    client.post(url, {"action": "submit", f"file_{structure.pk}": upload("s.pdf", pdf_bytes())}, follow=True)
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.EXPERT_REVIEW
    assert evidence_progress(evaluation)["done"] == 2


def test_another_member_cannot_see_the_evidence_page_or_files(client, evaluation):
    licence, *_ = _items(evaluation)
    evidence = services.evidence_add(evaluation_id=evaluation.pk, criterion_id=licence.pk,
                                     file=upload("a.pdf", pdf_bytes()), by=evaluation.member.user)
    login(client, UnitMemberFactory(state="active").user)
    assert client.get(reverse("evaluation:evidence", args=[evaluation.pk])).status_code == 404
    assert client.get(reverse("core:download", args=["evaluation.evidence", evidence.pk, "file"])).status_code == 404


@pytest.mark.parametrize(("state", "text"), [("expert_review", "正在组织专家组"), ("on_site", "现场评价进行中")])
def test_the_detail_page_says_where_a_capability_evaluation_stands(client, evaluation, state, text):
    Evaluation.objects.filter(pk=evaluation.pk).update(state=state)
    login(client, evaluation.member.user)
    html = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert text in html and "专家评审" in html  # the programme's own progress step


def test_a_full_page_of_files_saves_and_one_over_the_limit_is_a_chinese_page(evaluation, client, settings):
    """Two files for each of 64 items (128) is over Django's default of 100: the whole page saves.
    Over the portal's own limit the browser is told before sending (data-max-files), and the
    server's refusal is the site's Chinese page, never a bare 400."""
    first, second, third = _items(evaluation)
    client.force_login(evaluation.member.user)
    url = reverse("evaluation:evidence", args=[evaluation.pk])
    page = client.get(url).content.decode()
    assert f'data-max-files="{settings.DATA_UPLOAD_MAX_NUMBER_FILES}"' in page and "data-max-files-note" in page
    files = {f"file_{item.pk}": [upload(f"{item.code}-{n}.pdf", pdf_bytes()) for n in range(43)]
             for item in (first, second)} | {f"file_{third.pk}": [upload(f"c-{n}.pdf", pdf_bytes()) for n in range(42)]}
    response = client.post(url, {"action": "save", **files})
    assert response.status_code == 302
    assert Evidence.objects.filter(evaluation=evaluation, superseded_at__isnull=True).count() == 128
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 10
    response = client.post(url, {"action": "save", f"file_{first.pk}": [upload(f"x{n}.pdf", pdf_bytes())
                                                                         for n in range(11)]})
    html = response.content.decode()
    assert response.status_code == 400 and "一次提交的文件过多（最多 10 个）" in html and "<main" in html
    assert Evidence.objects.filter(evaluation=evaluation).count() == 128


def test_the_submit_refusal_is_said_once_and_not_again_on_the_next_visit(evaluation, client):
    client.force_login(evaluation.member.user)
    url = reverse("evaluation:evidence", args=[evaluation.pk])
    refused = client.post(url, {"action": "submit"}).content.decode()
    assert refused.count("须上传佐证的条目没有材料") == 1
    assert client.get(url).content.decode().count("须上传佐证的条目没有材料") == 0
