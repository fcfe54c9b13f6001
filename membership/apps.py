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
        from core.certificates import register_certificate_lookup
        from core.downloads import register_downloadable

        from .models import ArchivedFile, IndividualProfile, MembershipTerm, UnitProfile
        from .selectors import certificate_lookup

        register_downloadable(UnitProfile, ["practising_licence", "business_licence"])
        register_downloadable(IndividualProfile, ["photo"])
        register_downloadable(MembershipTerm, ["certificate"])
        register_downloadable(ArchivedFile, ["file"])
        register_certificate_lookup(certificate_lookup)

        from core.access import register_member_lookup

        from .selectors import member_for

        register_member_lookup(member_for, join_url="membership:join")
        from core.admin_queues import Queue, register_queue

        from .models import Member, ProfileChange

        register_queue(Queue("待审核入会申请", "membership.change_member", "admin:membership_member_changelist",
                             "state__exact=submitted", lambda: Member.objects.filter(state="submitted").count()))
        register_queue(Queue("待审核登记信息变更", "membership.change_profilechange",
                             "admin:membership_profilechange_changelist", "decision__exact=pending",
                             lambda: ProfileChange.objects.filter(decision="pending").count()))
