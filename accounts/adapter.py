from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the join wizard and from staff; there is no open sign-up page."""

    def is_open_for_signup(self, request):
        return False
