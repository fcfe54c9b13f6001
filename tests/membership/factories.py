import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from core.identifiers import credit_code_check_char, id_number_check_char
from membership.models import Contact, IndividualProfile, Kind, Member, MembershipType, UnitProfile
from tests.accounts.factories import UserFactory
from tests.core.files import png_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def credit_code(n: int) -> str:
    first17 = f"91110105{n:09d}"
    return first17 + credit_code_check_char(first17)


def id_number(n: int) -> str:
    first17 = f"110105198001{n % 28 + 1:02d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


class UnitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipType
        django_get_or_create = ("name",)

    kind = Kind.UNIT
    name = "会员单位"
    annual_dues = Decimal("2000.00")
    review_required = True


class IndividualTypeFactory(UnitTypeFactory):
    kind = Kind.INDIVIDUAL
    name = "个人会员"
    annual_dues = Decimal("300.00")
    review_required = False


class UnitMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    kind = Kind.UNIT
    membership_type = factory.SubFactory(UnitTypeFactory)
    name = factory.Sequence(lambda n: f"北京第{n}口腔门诊部有限公司")
    credit_code = factory.Sequence(credit_code)
    state = Member.State.SUBMITTED

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if not create:
            return
        unit = UnitProfile(member=obj, institution_type="outpatient", licence_no="PDY00001X",
                           legal_representative="张伟", address="北京市朝阳区建国路 1 号", opened_on=dt.date(2015, 5, 1),
                           beds=0, dental_chairs=12, practising_licence_name="执业许可证.pdf",
                           business_licence_name="营业执照.pdf")
        unit.practising_licence.save("licence.pdf", ContentFile(PDF), save=False)
        unit.business_licence.save("business.pdf", ContentFile(PDF), save=False)
        unit.save()
        Contact.objects.create(member=obj, name="李娜", position="办公室主任", mobile=obj.user.mobile,
                               email=obj.user.email, is_primary=True)


class IndividualMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    kind = Kind.INDIVIDUAL
    membership_type = factory.SubFactory(IndividualTypeFactory)
    name = factory.Faker("name", locale="zh_CN")
    state = Member.State.APPROVED

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if not create:
            return
        person = IndividualProfile(member=obj, gender="female", id_number=id_number(obj.pk % 10000),
                                   title="主治医师", employer="北京大学口腔医院", specialty="口腔正畸", photo_name="照片.png")
        person.photo.save("photo.png", ContentFile(png_bytes()), save=False)
        person.save()
