"""Demo continuing education: one project open for registration, one running today, one
finished with its credits computed and certificates issued; participants and a lecturer."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DemoLogin
from core.identifiers import id_number_check_char

from .attendance.services import attendance_record
from .credits.services import project_credits_compute
from .models import CreditYear, Lecturer, Project, QuizQuestion, Registration, Session
from .projects import services as projects

User = get_user_model()
OFFICE = "13800000005"
MEMBER = "13900000012"  # 黄建国, an active individual member (membership demo)
PARTICIPANTS = [("13600000001", "刘明", "重庆医科大学附属口腔医院", "主治医师"),
                ("13600000002", "何静", "昆明市口腔医院", "住院医师")]
LECTURER = ("13600000010", "周立新", "北京大学口腔医院", "主任医师")


def _id_number(serial: int) -> str:
    first17 = f"5101051985{serial:02d}01{serial:03d}"
    return first17 + id_number_check_char(first17)


def _account(mobile, name) -> User:
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        user = User(mobile=mobile, email=f"{mobile}@demo.cnmia.test", name=name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _project(office, *, number, title, level, credit_class, credit_value, starts_on, days, fee=Decimal("0"),
             member_fee=None, assessment=Project.Assessment.NONE, lecturer=None) -> Project:
    project = Project.objects.filter(number=number).first()
    if project is not None:
        return project
    project = Project.objects.create(
        number=number, title=title, level=level, credit_class=credit_class, credit_value=credit_value,
        organiser="中国非公立医疗机构协会口腔分会", head="王兴", starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1), place="北京市朝阳区国家会议中心 B 区 201 会议室", capacity=120,
        fee=fee, member_fee=member_fee, assessment=assessment, created_by=office,
        description="面向口腔医师、护士和技师的继续医学教育项目，理论授课与病例讨论相结合。")
    for day in range(days):
        date = starts_on + dt.timedelta(days=day)
        for start, end, topic in ((9, 12, "理论授课"), (14, 17, "病例讨论")):
            session = Session.objects.create(project=project, title=f"第 {day + 1} 天 {topic}",
                                             starts_at=_at(date, start), ends_at=_at(date, end), hours=Decimal("3"))
            if lecturer is not None:
                Lecturer.objects.create(project=project, session=session, user=lecturer, name=LECTURER[1],
                                        unit=LECTURER[2], title=LECTURER[3])
    if assessment == Project.Assessment.QUIZ:
        for position, (text, options, answer) in enumerate([
            ("种植体植入术前必须完成的影像学检查是？", "根尖片\nCBCT\n全景片即可", 2),
            ("口腔诊疗器械消毒灭菌应遵循的原则是？", "一人一用一消毒或灭菌\n每日消毒一次\n按需消毒", 1),
            ("局部麻醉药中毒的早期表现是？", "口周麻木、头晕\n皮疹\n血压升高", 1),
        ], start=1):
            QuizQuestion.objects.create(project=project, position=position, text=text, options=options, answer=answer)
    projects.project_file(project_id=project.pk, by=office)
    projects.project_approve(project_id=project.pk, by=office)
    return projects.project_publish(project_id=project.pk, by=office)


def _registered(project, user, serial, name, unit, title) -> Registration:
    """A confirmed seat, written directly: the demo's projects have started already."""
    registration = Registration.objects.filter(project=project, user=user).first()
    if registration is None:
        registration = Registration.objects.create(project=project, user=user, name=name, id_number=_id_number(serial),
                                                   unit=unit, title=title, mobile=user.mobile, email=user.email)
        registration.confirm(at=timezone.now(), by=user, description="演示数据")
        registration.save()
    return registration


def _attend(registration, session, office) -> None:
    for kind, at in (("in", session.starts_at), ("out", session.ends_at)):
        attendance_record(registration_id=registration.pk, by=office, session=session, kind=kind, at=at,
                          reason="演示数据：现场工作人员补录")


def seed() -> list[DemoLogin]:
    today = timezone.localdate()
    office = User.objects.get(mobile=OFFICE)
    CreditYear.objects.get_or_create(year=today.year)
    member = User.objects.get(mobile=MEMBER)
    people = [(member, 1, member.name, "四川大学华西口腔医院", "主任医师")] + [
        (_account(mobile, name), serial, name, unit, title)
        for serial, (mobile, name, unit, title) in enumerate(PARTICIPANTS, start=2)]
    lecturer = _account(LECTURER[0], LECTURER[1])

    _project(office, number=f"{today.year}-14-01-031(国)", title="口腔种植修复规范化诊疗培训班",
             level=Project.Level.NATIONAL, credit_class=Project.CreditClass.ONE, credit_value=Decimal("4"),
             starts_on=today + dt.timedelta(days=14), days=2, fee=Decimal("600"), member_fee=Decimal("400"),
             assessment=Project.Assessment.QUIZ, lecturer=lecturer)

    running = _project(office, number=f"{today.year}-14-02-007(国)", title="口腔感染防控与医疗质量安全研修班",
                       level=Project.Level.NATIONAL, credit_class=Project.CreditClass.ONE, credit_value=Decimal("2"),
                       starts_on=today, days=1, lecturer=lecturer)
    if not running.registrations.exists():
        for user, serial, name, unit, title in people[:2]:
            registration = _registered(running, user, serial, name, unit, title)
            if user == member:
                morning = running.sessions.order_by("starts_at").first()
                attendance_record(registration_id=registration.pk, by=office, session=morning, kind="in",
                                  at=morning.starts_at, reason="演示数据：现场工作人员补录")

    finished = _project(office, number=f"{today.year}-14-03-012(省)", title="儿童口腔疾病防治适宜技术推广班",
                        level=Project.Level.PROVINCIAL, credit_class=Project.CreditClass.TWO, credit_value=Decimal("6"),
                        starts_on=today - dt.timedelta(days=12), days=2, lecturer=lecturer)
    if finished.state == Project.State.OPEN:
        sessions = list(finished.sessions.order_by("starts_at"))
        for index, (user, serial, name, unit, title) in enumerate(people):
            registration = _registered(finished, user, serial, name, unit, title)
            # Everyone attends the first day; only the first two the second: the third falls
            # below the 80 % threshold and is told why.
            for session in sessions if index < 2 else sessions[:2]:
                _attend(registration, session, office)
        project_credits_compute(project_id=finished.pk, by=office)

    return [DemoLogin(role="继教学员：非会员（已获学分证书）", login=PARTICIPANTS[0][0]),
            DemoLogin(role="继教学员：出勤不足未获学分", login=PARTICIPANTS[1][0]),
            DemoLogin(role="继教授课人（授课学分）", login=LECTURER[0])]
