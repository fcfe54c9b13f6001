"""Assessment (考核): the online quiz a participant takes, or a result staff enter."""
