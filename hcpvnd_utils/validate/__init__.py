"""Validate: rows → exactly one outcome each (letter, rejected, out of period, duplicate, not
eligible, already sent), and the accounting that proves every row was counted.

rules (``classify``), scope (which rows a period looks at), accounting, rejected (the workbook of
rows without a letter), check (``hcpvnd validate``: all of it without the ledger)."""
