"""The experts app in the admin: each concern registers its own pages."""
from experts.committees import admin as committees_admin  # noqa: F401
from experts.pool import admin as pool_admin  # noqa: F401
from experts.review import admin as review_admin  # noqa: F401
