"""Letters: the outcomes of a unit's rows → one letter per registration, the print files,
rejected.xlsx and summary.json, each letter recorded in the ledger (``run.run_unit``).

templates (finding and checking the Word templates clerks own), engine (compile once, render
many) with tags (docxtpl's tags, checked per paragraph), fields, fieldcodes, fieldnames and
wordformat (Word's mail-merge fields and switches, as Word evaluates them), grid (table grids
after column loops) and package (the .docx zip), catalogue (the fields a template may use),
files (which letters, their names, variants and crash-safe writes; one letter for twins),
printfile (every letter of an event in one .docx) with combine (letters of several templates in
one print file), views (what the per-unit notebook shows)."""
