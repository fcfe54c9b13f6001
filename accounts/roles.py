"""Staff roles are Django groups holding exactly the model permissions their work needs.

The groups themselves are created by a data migration. Each app states the permissions it
grants to a role in its AppConfig as ``role_permissions = {ROLE: ["app_label.codename"]}``;
after every migration the groups are set to exactly the union of those declarations, so a
later app extends a role by declaring, never by editing this module.
"""
import logging
import time

from django.apps import apps

logger = logging.getLogger(__name__)

MEMBERSHIP_STAFF = "membership_staff"
EVALUATION_OFFICE = "evaluation_office"
FINANCE = "finance"
SITE_EDITOR = "site_editor"
EDUCATION_OFFICE = "education_office"
PURCHASING_OFFICE = "purchasing_office"

# Role key -> the group's name as staff see it in the admin.
ROLE_GROUP_NAMES = {
    MEMBERSHIP_STAFF: "会员部",
    EVALUATION_OFFICE: "评价办公室",
    FINANCE: "财务",
    SITE_EDITOR: "网站编辑",
    EDUCATION_OFFICE: "继教办",
    PURCHASING_OFFICE: "团购办",
}


def declared_role_permissions() -> dict[str, set[str]]:
    """Every installed app's declared permissions, by role key."""
    declared: dict[str, set[str]] = {role: set() for role in ROLE_GROUP_NAMES}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            if role not in declared:
                raise ValueError(f"{config.label} declares permissions for unknown role {role!r}")
            declared[role].update(perms)
    return declared


def sync_role_permissions(**kwargs) -> None:
    """Give each role group exactly its declared permissions (post_migrate receiver).

    Permissions whose model is not migrated yet are skipped; the post_migrate of that
    model's app runs this again and completes the set.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = declared_role_permissions()
    all_codes = {code for codes in wanted.values() for code in codes}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={c.split(".", 1)[1] for c in all_codes}
        )
    }
    for role, codes in wanted.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.set([by_code[c] for c in codes if c in by_code])


def notify_role(role: str, *, template: str, url: str, context: dict) -> None:
    """After the surrounding transaction commits, tell everyone in a staff role (in-site
    message and email; staff are not sent SMS)."""
    # Imported here: this module is loaded by AccountsConfig before the models exist.
    from django.db import transaction

    from core.notifications import notification_send_many

    def send():
        notification_send_many(template=template, users=role_members(role), url=url, channels=["site", "email"],
                               context=context)

    transaction.on_commit(send)


def role_members(role: str):
    """The active users in a staff role (whom a role-wide notice goes to)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=ROLE_GROUP_NAMES[role], is_active=True)


ROLES_SESSION_KEY = "_nav_roles"
ROLES_REFRESH_SECONDS = 300


def user_roles(request) -> frozenset[str]:
    """What the signed-in person is to the portal: "member", "evaluator", "staff" (any mix).

    Kept in the session for a few minutes, so the navigation costs no query per page; a
    person newly made an evaluator or member sees the change within that time.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return frozenset()
    session = getattr(request, "session", None)
    cached = session.get(ROLES_SESSION_KEY) if session is not None else None
    now = int(time.time())
    if cached and cached[0] == user.pk and now - cached[1] < ROLES_REFRESH_SECONDS:
        return frozenset(cached[2])
    roles = set()
    if user.is_staff:
        roles.add("staff")
    if hasattr(user, "member"):
        roles.add("member")
    if hasattr(user, "evaluator") or hasattr(user, "expert"):
        roles.add("evaluator")  # credit evaluators and pool experts both work in the workbench
    if session is not None:
        session[ROLES_SESSION_KEY] = [user.pk, now, sorted(roles)]
    return frozenset(roles)
