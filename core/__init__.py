"""What every app stands on, and which knows no app: the working-day calendar and deadline
scanners, notifications (in-site, email, SMS), the outbox for work after a commit, PDF
rendering, upload checks and private downloads, sealing, rate limits, kept page parts, and
the admin's shared pieces (queues, transition buttons, records, exports). An app plugs into
core through registries it calls from its ``apps.py`` (downloads, certificate lookups,
member lookup, layout inputs)."""
