// Strikemap's event layer in the browser: how each event or grid cell is drawn, and keyboard
// focus without page jumps. Labels reach the page through textContent only, never as HTML.
(function () {
  "use strict";

  // Leaflet places each marker (a cell's count, a place or region name) with translate3d, and
  // Chromium gives every element placed so a compositing layer of its own. With a few hundred
  // labels in view, each frame of the page then spent tens of milliseconds sorting layers
  // (Layerize, Commit), through a click's whole zoom and redraw. A 2D translate puts the label
  // on the same pixel and lets Chromium paint the labels together, in the pane's one layer.
  const placeMarker = L.Marker.prototype._setPos;
  L.Marker.include({
    _setPos: function (pos) {
      placeMarker.call(this, pos);
      [this._icon, this._shadow].forEach(function (element) {
        if (element) { element.style.transform = "translate(" + pos.x + "px," + pos.y + "px)"; }
      });
    },
  });

  // When the server moves the map (a cell clicked, a place found, a fit), the new events layer
  // comes with the view it was drawn for: st_folium adds the layer, then sets that view, in the
  // same task. Animated, the zoom first drew the new paths where the map was, scaled them for a
  // quarter of a second, then drew them all again where it landed (about half a second of the
  // browser's CPU for a click at 1M). That view is set at once instead. Every move the analyst
  // makes afterwards (wheel, buttons, keys, dragging) comes in a later task and animates.
  // A view the map already shows (a cell's, where the click zoomed) is left as it is: Leaflet
  // would still end a move there, and the base map would draw its places and regions again.
  let landing = false;
  function landAtOnce(map) {
    if (landing) { return; }
    landing = true;
    map.setView = function (center, zoom, options) {
      if (shows(this, L.latLng(center), zoom)) { return this; }
      return L.Map.prototype.setView.call(this, center, zoom, L.extend({animate: false}, options));
    };
    Promise.resolve().then(function () { delete map.setView; landing = false; });
  }

  // Whether the map shows this view: the zoom, and the centre within a pixel (as Leaflet
  // decides that a pan would not move the map).
  function shows(map, center, zoom) {
    if (!map._loaded || map.getZoom() !== zoom) { return false; }
    const offset = map.latLngToContainerPoint(center).subtract(map.getSize().divideBy(2));
    return !Math.trunc(offset.x) && !Math.trunc(offset.y);
  }

  // A marker clicked (or Enter on it) is reported to the server at once (reportNow). A grid
  // cell first zooms in here to the view the server zooms to for it (components/map/clicks.py
  // clicked_target: the middle of the cell's box, at its zoom), and the click and that view go
  // together: one run draws the new view. The server still moves the map there (a click this
  // did not zoom, e.g. during a zoom animation, zooms all the same); the map is there already
  // and stays (landAtOnce), so nothing new is reported. Before, the server's move came after
  // the click's run, and its report ran the page a second time.
  function reportWhenClicked(layer, p) {
    const target = cellTarget(p);
    layer.on("click", function () {
      // Once every listener (st_folium's too) has seen the click where it happened.
      Promise.resolve().then(function () {
        const map = layer._map;
        if (!map) { return; }
        if (target) { map.setView(target.center, target.zoom, {animate: false}); }
        reportNow(map);
      });
    });
  }

  // Where a click on a grid cell goes; null for an event.
  function cellTarget(p) {
    const box = p.zoom_to;
    if (!Array.isArray(box) || box.length !== 4 || typeof p.zoom !== "number") { return null; }
    // Bounds.center's arithmetic in the same 64-bit floats: the same centre to the last bit.
    return {center: L.latLng((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), zoom: p.zoom};
  }

  // st_folium reports the map 250 ms after the map's last event (a debounce), and only when
  // the report differs from the one it sent last. A marker's click has nothing to wait for: it
  // is reported at once, as st_folium would (its own data, the keys of its last report in
  // their order), so its debounced report finds nothing new. A key this does not know leaves
  // the report to st_folium: then it comes 250 ms later, and nothing else changes.
  function reportNow(map) {
    const data = window.__GLOBAL_DATA__, last = data && data.previous_data;
    if (!last || typeof last !== "object" || !window.Streamlit) { return; }
    const wrap = data.wrap_longitude;
    const values = {
      last_active_drawing: () => data.last_active_drawing,
      last_object_clicked_count: () => data.last_object_clicked_count,
      last_clicked: () => (wrap && data.lat_lng_clicked ?
        map.wrapLatLng(data.lat_lng_clicked) : data.lat_lng_clicked),
      center: () => (wrap ? map.wrapLatLng(map.getCenter()) : map.getCenter()),
      zoom: () => map.getZoom(),
      bounds: () => (wrap ? map.wrapLatLngBounds(map.getBounds()) : map.getBounds()),
    };
    const report = {};
    for (const key of Object.keys(last)) {
      if (!Object.prototype.hasOwnProperty.call(values, key)) { return; }
      report[key] = values[key]();
    }
    if (JSON.stringify(report) !== JSON.stringify(last)) {
      data.previous_data = report;
      window.Streamlit.setComponentValue(report);
    }
  }

  function textBox(text) {
    const box = document.createElement("div");
    box.textContent = text;
    return box;
  }

  // Leaflet's GeoJSON onEachFeature for the events layer built in components/map/layer.py.
  window.strikemapStyleEvent = function (feature, layer) {
    const p = feature.properties;
    if (p.spread && layer.setLatLng) {
      // Drawn a few pixels away from its spot, at every zoom, so none hides another: the offset
      // is added where Leaflet projects the marker, so each redraw places it (no second draw).
      const spot = L.latLng(p.lat, p.lng), offset = L.point(p.spread[0], p.spread[1]);
      layer._project = function () {
        this._point = this._map.latLngToLayerPoint(spot).add(offset);
        this._updateBounds();
        const tip = this.getTooltip();
        if (tip && this.isTooltipOpen()) { tip.setLatLng(this.getLatLng()); }
      };
      // Where it is drawn: its tooltip, and Enter's click, point there.
      layer.getLatLng = function () {
        return this._map ? this._map.layerPointToLatLng(this._point) : this._latlng;
      };
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
    reportWhenClicked(layer, p);
    // The tooltip is made the first time the marker is hovered or focused: thousands are drawn
    // at once, and few of them are ever pointed at.
    const tooltip = function () {
      if (layer.getTooltip()) { return; }
      layer.bindTooltip(() => textBox(p.label), {className: "sm-event-label"});
      layer.on("tooltipopen", (event) => keepInside(event.tooltip, layer));
    };
    layer.once("mouseover", function () { tooltip(); layer.openTooltip(); });
    layer.on("add", function () {
      landAtOnce(layer._map);
      reachableByKeyboard(layer, p.label, p.event_id || p.label, tooltip);
    });
  };

  // Which marker had the keyboard's focus: the page redraws the layer after Enter (the panel
  // opens), and the same marker takes the focus back instead of the keyboard starting over.
  let focusedKey = null;
  document.addEventListener("focusin", function (event) {
    if (!(event.target.dataset && event.target.dataset.smKeys)) { focusedKey = null; }
  });

  // Each point and cell is a stop of the Tab key, named by its label (date, type, place,
  // killed; or the cell's count), and Enter or Space does what a click does.
  function reachableByKeyboard(layer, label, key, tooltip) {
    const element = layer.getElement && layer.getElement();
    if (!element || element.dataset.smKeys) { return; }
    element.dataset.smKeys = "true";
    element.setAttribute("tabindex", "0");
    element.setAttribute("role", "button");
    element.setAttribute("aria-label", label);
    element.addEventListener("focus", function () {
      focusedKey = key;
      tooltip();
      layer.openTooltip();
    });
    element.addEventListener("blur", () => layer.closeTooltip());
    // Only while the map still has the keyboard: a redraw never pulls the focus from elsewhere.
    const active = document.activeElement;
    const free = !active || active === document.body || !active.isConnected;
    if (focusedKey === key && free && document.hasFocus()) { element.focus({preventScroll: true}); }
    element.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") { return; }
      event.preventDefault();
      event.stopPropagation();
      // Propagated like a mouse click, so the map's own listeners see which layer it was.
      layer.fire("click", {latlng: layer.getLatLng(), originalEvent: event}, true);
    });
  }

  // A tooltip opens on the side of its marker where the map has room, and is moved back
  // inside the map when it would still be cut by the map's edge.
  function keepInside(tooltip, layer) {
    const map = layer._map, element = tooltip.getElement();
    if (!map || !element) { return; }
    const size = map.getSize(), at = map.latLngToContainerPoint(layer.getLatLng());
    const width = element.offsetWidth, height = element.offsetHeight, reach = 12;
    let direction = "right";
    if (at.x + reach + width > size.x) { direction = "left"; }
    if (direction === "left" && at.x - reach - width < 0) {
      direction = at.y - reach - height > 0 ? "top" : "bottom";
    }
    tooltip.options.direction = direction;
    tooltip.options.offset = L.point(0, 0);
    tooltip.update();
    const box = element.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
    const dx = Math.min(0, frame.right - box.right) + Math.max(0, frame.left - box.left);
    const dy = Math.min(0, frame.bottom - box.bottom) + Math.max(0, frame.top - box.top);
    if (dx || dy) {
      tooltip.options.offset = L.point(dx, dy);
      tooltip.update();
    }
  }

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
