"""Geocoders in geopy's layout: the offline gazetteer (:mod:`.gazetteer`) and online
providers (:mod:`.online`)."""
