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
    """Menus and site settings for the base layout: from the cache, no query on a hit; the
    person's roles come from the session (accounts.roles.user_roles)."""
    chrome = selectors.site_chrome()
    roles = user_roles(request)
    menus = [m for m in chrome["menus"] if AUDIENCE.get(m.get("page", ""), lambda r: True)(roles)]
    return {**chrome, "menus": menus, "nav_roles": roles}
