"""Review: a report's draft → an approved version. ``drafting.run_report`` keeps an approved
report while nothing changed and otherwise drafts anew; ``approve`` records the leader's approval
and writes the final version; ``record`` holds the approval record and change detection."""
