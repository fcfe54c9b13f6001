"""The deciding bodies (001 §9; 004 §8, §20): the credit leading group and the capability
committee, their members with chair and secretary, meetings with agendas, recusals, secret
ballots sealed until the count, tallies, and minutes signed and locked by their hash."""
