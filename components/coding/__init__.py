"""Reports to coded events: text, dates, numbers, places, strike types, the coder."""
