from allauth.account.decorators import secure_admin_login
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# The admin has no login form of its own: it sends people through allauth's, so the same
# rate limits and session handling apply to staff.
admin.autodiscover()
# WeChat sign-in's keys come from settings and each binding belongs to its account (账号安全):
# allauth's own admin pages for apps, bindings and tokens are not offered to staff.
if apps.is_installed("allauth.socialaccount"):
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    for model in (SocialApp, SocialAccount, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = f"{settings.SITE_NAME} 管理后台"
admin.site.site_title = "管理后台"
admin.site.index_title = "工作台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("payments/", include("payments.urls")),
    path("", include("membership.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("education/", include("education.urls")),
    path("purchasing/", include("purchasing.urls")),
    path("workbench/", include("experts.urls")),
    path("", include("core.urls")),
    path("", include("portal.urls")),
]

handler400 = "core.views.bad_request"
