"""The map: Leaflet layers, features, aggregation, the view in the URL, assets."""
