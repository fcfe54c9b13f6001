"""Credits after a project ends: the scanner's timing (5 working days), what each participant and
lecturer gets and why not, numbered certificates that the public check confirms, corrections
by void and reissue, 我的学分 with the year's totals, transcripts, and the workbench."""
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.calendar import add_working_days
from core.deadlines import registered_scanners
from core.models import Message
from education.credits import services
from education.exceptions import CertificateRefused
from education.models import AssessmentResult, CreditAward, CreditCertificate, Project, Transcript
from education.projects.tests.helpers import attend, make_project, office_user, seat
from experts.pool.tests.helpers import appointed
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
SCAN = registered_scanners()["education.credit_projects"]


@pytest.fixture
def finished(django_capture_on_commit_callbacks):
    """A national project of two 3-hour sessions that ended yesterday: one participant
    attended both, one only the first; a lecturer taught both."""
    office = office_user()
    lecturer = UserFactory(name="周立新")
    project = make_project(office=office, starts_on=timezone.localdate() - dt.timedelta(days=1), lecturer=lecturer,
                           credit_value=Decimal("2"))
    full, half = seat(project), seat(project)
    attend(full, office=office)
    attend(half, project.sessions.order_by("starts_at")[:1], office=office)
    return project, full, half, lecturer


def run_scanner(now=None):
    return SCAN(now or timezone.now())


def pdf_text(field_file) -> str:
    field_file.open("rb")
    try:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(field_file.read())).pages)
    finally:
        field_file.close()


def test_the_scanner_credits_a_finished_project_once(finished, django_capture_on_commit_callbacks):
    project, full, half, lecturer = finished
    with django_capture_on_commit_callbacks(execute=True):
        assert run_scanner() == 1
    assert run_scanner() == 0  # computed once
    project.refresh_from_db()
    assert project.state == Project.State.CREDITED
    awards = {(a.user_id, a.role): a for a in CreditAward.objects.filter(project=project)}
    assert awards[full.user_id, "participant"].credits == Decimal("2")  # 6 h / 3
    refused = awards[half.user_id, "participant"]
    assert refused.credits == 0 and "50%" in refused.reason and not refused.certificates.exists()
    assert awards[lecturer.pk, "lecturer"].credits == Decimal("2")  # 6 h × 2 = 12, capped at the value
    assert Message.objects.filter(recipient=half.user, subject__startswith="未授予学分").exists()
    certificate = awards[full.user_id, "participant"].certificates.get()
    assert certificate.number.startswith(f"XF{timezone.localdate():%Y}")
    text = pdf_text(certificate.pdf)
    assert certificate.number in text and project.number in text and "授予学分 2.0 分" in text
    assert Message.objects.filter(recipient=full.user, subject=f"学分证书已签发：{certificate.number}").exists()


def test_a_running_project_is_not_credited_before_its_end():
    project = make_project(starts_on=timezone.localdate())
    seat(project)
    assert run_scanner() == 0
    project.refresh_from_db()
    assert project.state == Project.State.OPEN


def test_with_an_assessment_credits_wait_for_results_then_come_by_the_fifth_working_day(django_capture_on_commit_callbacks):
    office = office_user()
    project = make_project(office=office, starts_on=timezone.localdate() - dt.timedelta(days=1),
                           assessment=Project.Assessment.STAFF)
    tested, silent, failed = seat(project), seat(project), seat(project)
    for registration in (tested, silent, failed):
        attend(registration, office=office)
    for registration, score in ((tested, 90), (failed, 40)):
        AssessmentResult.objects.create(registration=registration, source="staff", score=score, passed=score >= 60,
                                        recorded_by=office, note="现场笔试")
    assert run_scanner() == 0  # one participant has no result yet
    due = add_working_days(project.ends_on, 5).date
    with (
        time_machine.travel(timezone.make_aware(dt.datetime.combine(due, dt.time(8))), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_scanner() == 1
    reasons = dict(CreditAward.objects.filter(project=project).values_list("registration", "reason"))
    assert reasons == {tested.pk: "", silent.pk: "未参加考核", failed.pk: "考核未通过"}


def test_the_public_check_confirms_a_certificate_and_a_correction_voids_it_with_a_new_number(
        finished, django_capture_on_commit_callbacks):
    project, full, _, _ = finished
    with django_capture_on_commit_callbacks(execute=True):
        run_scanner()
    certificate = CreditCertificate.objects.get(award__registration=full)
    check = reverse("membership:certificate_check")
    page = Client().get(check, {"no": certificate.number}).content.decode()
    assert "继续医学教育学分证书" in page and "有效" in page and full.name in page

    office = office_user()
    with pytest.raises(CertificateRefused, match="原因"):
        services.certificate_reissue(certificate_id=certificate.pk, by=office, reason="")
    with pytest.raises(CertificateRefused, match="不超过项目学分"):
        services.certificate_reissue(certificate_id=certificate.pk, by=office, reason="更正", credits=Decimal("9"))
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate_id=certificate.pk, by=office, reason="出勤记录更正",
                                           credits=Decimal("1.5"))
    certificate.refresh_from_db()
    assert (certificate.state, certificate.void_reason, certificate.voided_by) == ("void", "出勤记录更正", office)
    assert certificate.credits == Decimal("2") and bool(certificate.pdf)  # the issued one is never edited
    assert new.number != certificate.number and new.replaces == certificate and new.credits == Decimal("1.5")
    old_page = Client().get(check, {"no": certificate.number}).content.decode()
    assert "已作废" in old_page and new.number in old_page
    with pytest.raises(CertificateRefused, match="已作废"):
        services.certificate_reissue(certificate_id=certificate.pk, by=office, reason="再次")

    staff = Client()
    staff.force_login(office)
    listing = staff.get(reverse("admin:education_creditcertificate_changelist")).content.decode()
    assert certificate.number in listing and new.number in listing


def test_my_credits_shows_the_years_totals_against_the_requirement_and_a_transcript(
        finished, client, django_capture_on_commit_callbacks):
    _, full, half, _ = finished
    with django_capture_on_commit_callbacks(execute=True):
        run_scanner()
    client.force_login(full.user)
    page = client.get(reverse("education:my_credits")).content.decode()
    assert "一类学分：<strong data-testid=\"class-one\">2.0</strong>" in page
    assert "未达标" in page and "一类学分还差 3.0" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("education:transcript"), {"year": timezone.localdate().year})
    client.post(reverse("education:transcript"), {"year": timezone.localdate().year})  # a second press
    transcript = Transcript.objects.get(user=full.user)
    assert "学分证明" in pdf_text(transcript.pdf) and CreditCertificate.objects.get(
        award__registration=full).number in pdf_text(transcript.pdf)
    client.force_login(half.user)
    assert "出勤 3.0 学时" in client.get(reverse("education:my_credits")).content.decode()
    stranger = Client()
    stranger.force_login(half.user)
    assert stranger.get(reverse("core:download", args=["education.transcript", transcript.pk, "pdf"])).status_code == 404


def test_the_roster_export_has_the_platforms_columns_and_the_only_full_id_numbers(
        finished, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    project, full, _, _ = finished
    with django_capture_on_commit_callbacks(execute=True):
        run_scanner()
    staff = Client()
    staff.force_login(office_user())
    listing = staff.get(reverse("admin:education_creditaward_changelist")).content.decode()
    assert full.id_number not in listing and full.id_number_masked in listing
    registration_page = staff.get(reverse("admin:education_registration_change", args=[full.pk])).content.decode()
    assert full.id_number not in registration_page
    url = reverse("admin:education_creditaward_export") + "?granted=yes"
    formats = staff.get(url).context["form"].fields["format"].choices
    xlsx = next(value for value, label in formats if str(label).lower() == "xlsx")
    columns = ("name", "id_number", "unit", "title", "project_number", "project_title", "credits", "credit_class",
               "awarded_on")
    response = staff.post(url, {"format": xlsx, "resource": "0", **{f"rosterresource_{c}": "on" for c in columns}})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号", "工作单位", "职称", "项目编号", "项目名称", "学分", "学分类别", "授予日期")
    assert (full.name, full.id_number, full.unit, full.title, project.number, project.title, "2.0", "一类学分",
            f"{timezone.localdate():%Y-%m-%d}") in rows
    assert len(rows) == 3  # the heading, the participant and the lecturer; the one without credit is left out

    participant = Client()
    participant.force_login(full.user)
    assert full.id_number not in participant.get(reverse("education:registration", args=[full.pk])).content.decode()


def test_an_experts_workbench_shows_their_lecturer_credits(django_capture_on_commit_callbacks):
    expert = appointed()
    office = office_user()
    project = make_project(office=office, starts_on=timezone.localdate() - dt.timedelta(days=1), lecturer=expert.user)
    attend(seat(project), office=office)
    with django_capture_on_commit_callbacks(execute=True):
        run_scanner()
    client = Client()
    client.force_login(expert.user)
    page = client.get(reverse("experts:workbench")).content.decode()
    assert "我的授课学分" in page and project.number in page and "授课 6.0 学时" in page
