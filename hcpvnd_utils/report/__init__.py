"""Report: the figures of a period (from the ledger and the runs' summaries) → the report's
draft: Decree 30 document, charts, the province's .xlsx (``build.write_draft``).

data (collecting the figures), text (sentences and tables from them), narrative (the analyst's
text), charts, document (.docx), workbook (.xlsx)."""
