"""Ledger: the SQLite record of registrations seen, letters made and runs, so that no family is
ever sent the same letter twice (``book.Ledger``); its schema, and purging old letters while the
counts stay."""
