"""学习标准: the capability standard as data, readable by anyone chapter by chapter, with search;
the evaluation page names what keeps a member from applying."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.capability_standard import chapters_for_import
from evaluation.models import Criterion, Programme
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def capability():
    programme = Programme.objects.get(kind="capability")
    services.standard_import(programme=programme, chapters=chapters_for_import())
    return programme


def test_the_demo_standard_has_eight_chapters_and_sixty_four_items_worth_1000(capability):
    items = Criterion.objects.filter(programme=capability, parent__isnull=False)
    assert Criterion.objects.filter(programme=capability, parent__isnull=True).count() == 8
    assert items.count() == 64 and items.filter(evidence_required=True).count() == 64
    assert sum(i.max_points for i in items) == 1000


def test_anyone_reads_the_standard_chapter_by_chapter_in_constant_queries(client, capability,
                                                                         django_assert_max_num_queries):
    url = reverse("evaluation:standard", args=["capability"])
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert html.count('data-testid="chapter"') == 8
    assert "医院感染预防与控制" in html and "须上传佐证" in html and "一人一用一消毒" in html


def test_searching_the_standard_shows_matching_items_with_their_chapters(client, capability):
    html = client.get(reverse("evaluation:standard", args=["capability"]), {"q": "消毒"}).content.decode()
    assert html.count('data-testid="chapter"') == 1 and "牙科综合治疗台水路消毒管理" in html
    assert "价格公示" not in html
    empty = client.get(reverse("evaluation:standard", args=["capability"]), {"q": "不存在的词"}).content.decode()
    assert "没有与“不存在的词”相关的条目" in empty


def test_the_evaluation_page_names_each_unmet_condition_with_what_to_do(client, capability):
    member = UnitMemberFactory(state="active")
    member.unit.opened_on = timezone.localdate() - dt.timedelta(days=400)
    member.unit.save()
    login(client, member.user)
    html = client.get(reverse("evaluation:index")).content.decode()
    block = html.split('data-programme="capability"')[1].split('data-programme=')[0]
    assert "学习标准" in block and "开业满 3 年" in block and "申请社会信用评价" in block
