from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = "会员管理"
    role_permissions = {
        "membership_staff": [
            "membership.view_member", "membership.change_member", "membership.view_membershiptype",
            "membership.add_membershiptype", "membership.change_membershiptype", "membership.view_contact",
            "membership.change_contact", "membership.view_membershipterm", "membership.view_profilechange",
            "membership.change_profilechange", "membership.view_unitprofile", "membership.view_individualprofile",
            "membership.view_archivedfile", "membership.export_member", "membership.export_membershipterm",
        ],
        "finance": ["membership.view_member", "membership.view_membershipterm"],
    }

    def ready(self):
        from core.access import register_member_lookup
        from core.certificates import register_certificate_lookup
        from core.downloads import register_downloadable
        from payments.payable import register_payable

        from . import tasks  # noqa: F401  (registers the Celery tasks services enqueue by name)
        from .models import ArchivedFile, IndividualProfile, Member, MembershipTerm, UnitProfile
        from .selectors import can_pay_dues, certificate_lookup, member_for
        from .services import member_dues_paid

        register_downloadable(UnitProfile, ["practising_licence", "business_licence"])
        register_downloadable(IndividualProfile, ["photo"])
        register_downloadable(MembershipTerm, ["certificate"])
        register_downloadable(ArchivedFile, ["file"])
        register_certificate_lookup(certificate_lookup)
        register_member_lookup(member_for, join_url="membership:join")
        register_payable(Member, due=lambda member: can_pay_dues(member=member),
                         paid=lambda *, payable, order, by: member_dues_paid(member_id=payable.pk, order=order, by=by))
