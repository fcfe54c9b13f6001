"""Public site and CMS: columns, menus, articles, links, notices, result registry."""
