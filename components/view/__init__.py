"""What the analyst sees of the events: filters, timeline, summary, duplicates, detail."""
