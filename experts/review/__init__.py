"""The on-site review (现场评价, 004 §14-19): the office plans a visit, freezes the pool and draws
its group with a supervising witness (auditable and replayable), invites the experts; the
institution may challenge a member; the group scores, the head writes the group report and
the members sign it; cancelling a drawn visit or seating a reserve out of rank takes two staff
members."""
