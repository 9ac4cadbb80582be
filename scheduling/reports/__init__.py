"""Reports for hiring leads, counted from stored facts (rows, statuses, slot events), never from logs."""
