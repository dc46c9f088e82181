"""Runs: notebooks executed with papermill in fresh kernels, each run's executed copy kept as its
record. notebook (one run, failures said in Vietnamese), batch (every unit of a period in
parallel: pool, record = batch.json), reports (the report notebook), period (a batch, then the
period's reports)."""
