from . import selectors


def chrome(request):
    """Menus and site settings for the base layout: from the cache, no query on a hit."""
    return selectors.site_chrome()
