"""A conflict recorded after an assignment ends it (kept as recused) and its access at once."""
import pytest
from django.urls import reverse

from core.downloads import file_url
from evaluation.models import Assignment
from experts.models import Evaluator
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db


def test_the_office_recording_the_employer_recuses_the_evaluator_and_ends_access(client):
    evaluation = h.under_review()
    evaluator = h.evaluator(name="评价员 吴")
    assignment = h.assignment_create(evaluation=evaluation, evaluator=evaluator, by=h.office())
    document = evaluation.documents.first()
    client.force_login(evaluator.user)
    assert client.get(reverse("experts:assignment", args=[assignment.pk])).status_code == 200
    assert client.get(file_url(document, "file")).status_code == 200

    office = client.__class__()
    office.force_login(h.office())
    change = reverse("admin:experts_evaluator_change", args=[evaluator.pk])
    data = {"user": evaluator.user_id, "kind": "credit", "name": evaluator.name, "organisation": evaluator.organisation,
            "employer_name": "", "employer_credit_code": evaluation.member.credit_code, "specialty": "", "is_active": "on"}
    response = office.post(change, data, follow=True)
    assert "已终止该评价指派" in response.content.decode()

    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.RECUSED
    assert assignment.recused_at and evaluation.member.name in assignment.recused_reason
    assert client.get(reverse("experts:assignment", args=[assignment.pk])).status_code == 404
    assert client.get(file_url(document, "file")).status_code == 404
    assert Evaluator.objects.filter(pk=evaluator.pk).exists()  # the person stays; only the task ended


def test_only_the_evaluation_office_may_open_the_assignment_form(client):
    from django.contrib.auth.models import Group

    from tests.accounts.factories import UserFactory

    url = reverse("admin:evaluation_assignment_add")
    for role in ("会员部", "财务", "网站编辑"):
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        assert client.get(url).status_code == 403, role
        assert client.post(url, {}).status_code == 403, role
    client.force_login(h.office())
    assert client.get(url).status_code == 200
