"""Delivery: what became of each letter after its print file — handed over on which day, how,
by whom, and what the family said.

Takes a unit's letters of a period (from the letters run) and gives the delivery sheet
``<outputs>/<period>/<unit>/so_giao_thu.xlsx`` (``sheet``): one row per letter with its
reference, and the columns the commune fills in, with drop-down lists, locked reference columns
and a landscape signing-sheet layout. Takes filled sheets back (``importer``: ``hcpvnd delivery
import``) and records each row in the ledger, one transaction per file; gives the report the
figures of its section 5 (``figures``: handed over out of made, the families' responses, the
letters still waiting). ``vocabulary`` holds the lists and the words.

Below ``letters`` (a run writes the sheet) and above ``ledger`` (an import records into it);
the report reads only ``vocabulary`` and ``figures``, which reach neither the registers nor the
ledger file."""
