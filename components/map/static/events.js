// Strikemap's event layer in the browser: how each event or grid cell is drawn, and keyboard
// focus without page jumps. Labels reach the page through textContent only, never as HTML.
(function () {
  "use strict";

  function textBox(text) {
    const box = document.createElement("div");
    box.textContent = text;
    return box;
  }

  // Leaflet's GeoJSON onEachFeature for the events layer built in components/map/layer.py.
  window.strikemapStyleEvent = function (feature, layer) {
    const p = feature.properties;
    if (p.spread && layer.setLatLng) {
      // Drawn a few pixels away from its spot, at every zoom, so none hides another.
      const spot = L.latLng(p.lat, p.lng);
      let map = null;
      const place = function () {
        const point = map.project(spot).add(L.point(p.spread[0], p.spread[1]));
        layer.setLatLng(map.unproject(point));
      };
      layer.on("add", function () { map = layer._map; map.on("zoomend", place); place(); });
      layer.on("remove", function () { if (map) { map.off("zoomend", place); } map = null; });
    }
    if (layer.setStyle) {
      layer.setStyle({
        radius: p.radius, fillColor: p.fill, color: p.outline, weight: p.weight,
        fillOpacity: p.approximate ? 0.15 : (p.count ? 0.8 : 0.7), opacity: 0.9,
        dashArray: p.approximate ? "3 3" : null,
      });
    }
    if (p.count) {
      // A grid cell: its number of events is written on it, in a marker that comes and goes
      // with the cell; hovering tells the killed total.
      const count = document.createElement("span");
      count.textContent = p.count.toLocaleString("en");
      const label = L.marker(layer.getLatLng(), {
        icon: L.divIcon({className: "sm-count", html: count, iconSize: null}),
        interactive: false, keyboard: false,
      });
      layer.on("add", function () { label.addTo(layer._map); });
      layer.on("remove", function () { label.remove(); });
    }
    layer.bindTooltip(() => textBox(p.label), {className: "sm-event-label"});
  };

  // Leaflet focuses the map on mouse down. When the map's frame is only partly on screen,
  // the browser then scrolls the page between mouse down and mouse up, and the click on a
  // marker is lost. The same focus with preventScroll keeps keyboard panning and clicks.
  window.strikemapFocusWithoutScrolling = function (map) {
    const keyboard = map.keyboard;
    if (!keyboard) { return; }
    keyboard.disable();
    keyboard._onMouseDown = function () {
      if (!this._focused) { this._map._container.focus({preventScroll: true}); }
    };
    keyboard.enable();
  };
})();
