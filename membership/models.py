"""Membership: join wizard, review, member centre, contacts, certificates, renewals."""
