"""Accounts: the user (signs in by mobile or email, through django-allauth), staff roles as
groups with the permissions each app grants them, and proof of a mobile by SMS code."""
