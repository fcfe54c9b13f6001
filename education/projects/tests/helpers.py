"""Projects, seats and attendance as the education tests need them, made through the services."""
import datetime as dt
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group
from django.utils import timezone

from education.attendance.services import attendance_record
from education.models import Lecturer, Project, Registration, Session
from education.projects import services as projects
from education.registration.services import registration_create
from tests.accounts.factories import UserFactory
from tests.membership.factories import id_number

_numbers = count(1)


def office_user():
    user = UserFactory(is_staff=True, name="继教办老师")
    user.groups.add(Group.objects.get(name="继教办"))
    return user


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_project(*, office=None, starts_on=None, sessions=((9, 12), (14, 17)), days=1, hours=Decimal("3"),
                 level=Project.Level.NATIONAL, credit_value=Decimal("10"), publish=True, lecturer=None,
                 **fields) -> Project:
    """A project with ``days`` days of the given sessions (start and end hour), filed, approved
    and published by the 继教办 unless ``publish`` is False (then left as a draft)."""
    office = office or office_user()
    starts_on = starts_on or timezone.localdate() + dt.timedelta(days=7)
    serial = next(_numbers)
    suffix = "国" if level == Project.Level.NATIONAL else "省"
    project = Project.objects.create(
        number=f"{starts_on:%Y}-14-01-{serial:03d}({suffix})", title=f"继教项目 {serial}", level=level,
        credit_value=credit_value, organiser="中国非公立医疗机构协会", head="王兴", starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1), place="北京", capacity=fields.pop("capacity", 50), **fields)
    for day in range(days):
        date = starts_on + dt.timedelta(days=day)
        for start, end in sessions:
            session = Session.objects.create(project=project, title=f"第{day + 1}天 {start}点", starts_at=at(date, start),
                                             ends_at=at(date, end), hours=hours)
            if lecturer is not None:
                Lecturer.objects.create(project=project, session=session, user=lecturer, name=lecturer.name,
                                        unit="北京大学口腔医院", title="主任医师")
    if publish:
        projects.project_file(project_id=project.pk, by=office)
        projects.project_approve(project_id=project.pk, by=office)
        project = projects.project_publish(project_id=project.pk, by=office)
    return project


def details(user, **overrides) -> dict:
    return {"name": user.name, "id_number": id_number(user.pk), "unit": "某口腔诊所", "title": "主治医师",
            "mobile": user.mobile, "email": user.email, "invoice_title": "", "invoice_tax_id": "", **overrides}


def register(project, user=None) -> Registration:
    """A seat through the service (registration must be open)."""
    user = user or UserFactory()
    return registration_create(project_id=project.pk, user=user, details=details(user))


def seat(project, user=None) -> Registration:
    """A confirmed seat on a project that may have started (written directly, as staff would
    have taken it on the day)."""
    user = user or UserFactory()
    registration = Registration.objects.create(project=project, user=user, **details(user))
    registration.confirm(at=timezone.now(), by=user)
    registration.save()
    return registration


def attend(registration, sessions=None, *, office) -> None:
    """Checked in at the start and out at the end of each session (recorded by staff)."""
    for session in sessions if sessions is not None else registration.project.sessions.all():
        for kind, moment in (("in", session.starts_at), ("out", session.ends_at)):
            attendance_record(registration_id=registration.pk, by=office, session=session, kind=kind, at=moment,
                              reason="测试补录")
