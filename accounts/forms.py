from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login form, with the login field named for what people type into it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = "手机号或邮箱"
        field.widget.attrs.update({"placeholder": "请输入手机号或邮箱", "autocomplete": "username"})
        self.fields["password"].widget.attrs["placeholder"] = "请输入密码"
