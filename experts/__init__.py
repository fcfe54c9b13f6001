"""The expert workbench and the office's work with experts, in three concerns:

- ``experts.pool``: the expert pool (评价专家库): applications, appointment terms and letters,
  training, declared conflicts, and the credit programme's evaluators and their scoring;
- ``experts.review``: the on-site review (现场评价): visits, their auditable draws, invitations,
  challenges, the group's scores and the signed group report, two-person approvals;
- ``experts.committees``: the deciding bodies: members, meetings, secret ballots, minutes.

Each concern has its own models, services, selectors, views, admin, demo, tasks and tests; a
later concern may use an earlier one (committees → review → pool), never the reverse. This
package's own modules only gather them (models, urls, admin, demo, the workbench page).
"""
