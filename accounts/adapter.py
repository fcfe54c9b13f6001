from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .roles import user_roles


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the join wizard and from staff; there is no open sign-up page."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where a person starts their work: staff in the admin, experts, evaluators and
        committee members in the workbench, members in the member centre, suppliers in the
        supplier centre (a ``next`` address, when there is one, is followed before this is asked)."""
        held = user_roles(request)
        if "staff" in held:
            return reverse("admin:index")
        if "evaluator" in held or request.user.committee_seats.filter(until__isnull=True).exists():
            return reverse("experts:workbench")
        if "member" in held:
            return reverse("membership:centre")
        if hasattr(request.user, "supplier"):  # a group-purchasing supplier's own pages
            return reverse("purchasing:supplier_centre")
        return super().get_login_redirect_url(request)
