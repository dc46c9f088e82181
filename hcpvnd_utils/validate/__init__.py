"""Validate: rows → exactly one outcome each (letter, rejected, out of period, duplicate, not
eligible, already sent), and the accounting that proves every row was counted.

rules (``classify``), families (one birth letter for twins, never two for one family event),
scope (which rows a period looks at), accounting, rejected (the workbook of rows without a
letter), check (``hcpvnd validate``: all of it without the ledger)."""
