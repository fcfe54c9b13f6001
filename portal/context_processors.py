from django.utils.functional import SimpleLazyObject

from accounts.roles import user_roles

from . import selectors

# Menu entries that only make sense for some people: the navigation follows the role.
# A visitor sees every entrance; a signed-in person sees the ones that are theirs.
AUDIENCE = {
    "membership:join": lambda roles: not roles,
    "membership:centre": lambda roles: not roles or "member" in roles,
    "experts:workbench": lambda roles: not roles or "evaluator" in roles,
}


def chrome(request):
    """Menus, site settings and the content version for the base layout: from the cache, no
    query on a hit, and read only by a page that shows them (a task page without the
    navigation makes no round trip); the person's roles come from the session
    (accounts.roles.user_roles)."""
    roles = user_roles(request)
    chrome = SimpleLazyObject(selectors.site_chrome)

    def menus():
        return [m for m in chrome["menus"] if AUDIENCE.get(m.get("page", ""), lambda r: True)(roles)]
    return {"menus": SimpleLazyObject(menus), "nav_roles": roles,
            "site_settings": SimpleLazyObject(lambda: chrome["site_settings"]),
            "content_version": SimpleLazyObject(lambda: chrome["content_version"])}
