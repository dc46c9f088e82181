"""Ingest: a unit's register exports (.xlsx, .xls, .csv, HTML saved as .xls) → ``Record`` rows
with clean values, and the files or sheets that could not be read (``files.read_unit``).

readers (bytes → sheets of raw cells; csvfile, htmlfile and raw beside them), limits and
limits_ods (what a file may cost to read, checked before any reader allocates), headers (which
column is which field), rows (raw cells → a Record and its problems), dates, legacy (TCVN3/VNI
text), cell_faults (formulas without a result, Excel errors)."""
