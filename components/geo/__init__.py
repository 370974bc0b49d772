"""Places: names, the offline gazetteer, regions, geocoders, geocoding a table, overrides."""
