// Strikemap's offline base map: land, coasts and borders, first-level regions and place names,
// loaded as small JSON tiles for the part of the world in view (files built at set-up by
// components/map/basemap_build.py). Names come from GeoNames and Natural Earth: they reach the
// page only through textContent and title, never as HTML.
(function () {
  "use strict";

  const LAND_FROM_ZOOM = 7;      // from here: coasts and borders at 100 m over the land fill
  // Closer than this the countries' 1 km outlines replace the 10 km ones of the world view
  // (a fifth of the bytes: the first view fetches, parses and paints little).
  const DETAILED_COUNTRIES_FROM_ZOOM = 5;
  const WORLD_COUNTRIES = "countries-world.json";  // components/map/basemap_build.py
  const COUNTRIES_DIR = "countries";                 // the same
  const REGIONS_FROM_ZOOM = 5;
  // Region names between these zooms: further out, a country's provinces crowd each other.
  const REGION_NAMES_FROM_ZOOM = 7, REGION_NAMES_UNTIL_ZOOM = 11;
  const MAX_PLACE_LABELS = 300;  // "a few hundred in view at most"
  const LINE_STYLE = {color: "#8a8a8a", weight: 1, fill: false};
  const COUNTRY_STYLE = {color: "#8a8a8a", weight: 0.8, fillColor: "#f2efe9", fillOpacity: 1};
  // Close in, the generalised countries only fill the land; the 100 m lines draw its edges.
  const FILL_ONLY = {stroke: false, fillColor: "#f2efe9", fillOpacity: 1};
  const REGION_STYLE = {color: "#9a8fb0", weight: 1, dashArray: "4 3", fill: false};

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  // Keys "column_row" of the square tiles of `step` degrees that the box touches.
  function tileKeys(bounds, step) {
    const keys = [];
    const west = Math.max(-180, bounds.getWest()), east = Math.min(180, bounds.getEast());
    const south = Math.max(-90, bounds.getSouth()), north = Math.min(90, bounds.getNorth());
    for (let c = Math.floor(west / step); c < Math.ceil(east / step); c++) {
      for (let r = Math.floor(south / step); r < Math.ceil(north / step); r++) {
        keys.push(c + "_" + r);
      }
    }
    return keys;
  }

  function boxTouches(bbox, bounds) {
    return !(bbox[2] < bounds.getWest() || bbox[0] > bounds.getEast() ||
             bbox[3] < bounds.getSouth() || bbox[1] > bounds.getNorth());
  }

  function label(className, text, title) {
    const element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    if (title) { element.title = title; }
    return L.divIcon({className: "sm-label-anchor", html: element, iconSize: null});
  }

  function pane(map, name, zIndex, pointerEvents) {
    const created = map.createPane(name);
    created.style.zIndex = zIndex;
    created.style.pointerEvents = pointerEvents ? "auto" : "none";
    return created;
  }

  window.strikemapBasemap = function (map, options) {
    const root = options.root;
    // Online tiles sit above the offline map, which shows wherever a tile does not arrive.
    const low = options.online ? 150 : 250;
    pane(map, "sm-land", low, false);
    pane(map, "sm-regions", low + 10, false);
    pane(map, "sm-places", 390, true);
    const renderer = L.canvas({pane: "sm-land", padding: 0.3});
    const lineRenderer = L.canvas({pane: "sm-regions", padding: 0.3});
    const regionRenderer = L.canvas({pane: "sm-regions", padding: 0.3});
    const countries = L.layerGroup().addTo(map);
    const land = L.layerGroup().addTo(map);
    const regions = L.layerGroup().addTo(map);
    const places = L.layerGroup().addTo(map);
    const loaded = {land: {}, regions: {}, places: {}, countries: {}};  // promises of each file
    const outlines = {world: null};  // a promise of the world's layer
    let index = null;
    let worldPlaces = [];
    let showPlaces = !options.online;

    function tile(kind, key, url, build) {
      const cache = loaded[kind];
      if (!cache[key]) {
        cache[key] = fetchJson(url).then(build).catch(function () { return null; });
      }
      return cache[key];
    }

    function drawLand(bounds, zoom) {
      land.clearLayers();
      if (zoom < LAND_FROM_ZOOM) { return Promise.resolve(); }
      const present = new Set(index.land);
      const keys = tileKeys(bounds.pad(0.2), index.land_tile_degrees).filter((k) => present.has(k));
      return Promise.all(keys.map(function (key) {
        return tile("land", key, root + "/land/" + key + ".json", function (collection) {
          return L.geoJSON(collection, {
            pane: "sm-regions", renderer: lineRenderer, interactive: false,
            style: LINE_STYLE,
          });
        });
      })).then(function (layers) {
        if (map.getZoom() < LAND_FROM_ZOOM) { return; }
        layers.forEach((layer) => layer && land.addLayer(layer));
      });
    }

    function drawRegions(bounds, zoom) {
      regions.clearLayers();
      if (zoom < REGIONS_FROM_ZOOM) { return Promise.resolve(); }
      const codes = Object.keys(index.admin1).filter((c) => boxTouches(index.admin1[c], bounds));
      return Promise.all(codes.map(function (code) {
        return tile("regions", code, root + "/admin1/" + code + ".json", (content) => content);
      })).then(function (contents) {
        contents.forEach(function (content) {
          if (!content) { return; }
          regions.addLayer(L.geoJSON(content.lines, {
            pane: "sm-regions", renderer: regionRenderer, interactive: false, style: REGION_STYLE,
          }));
          const now = map.getZoom();
          if (now < REGION_NAMES_FROM_ZOOM || now > REGION_NAMES_UNTIL_ZOOM) { return; }
          content.labels.forEach(function (region) {
            if (!bounds.contains([region[0], region[1]])) { return; }
            regions.addLayer(L.marker([region[0], region[1]], {
              pane: "sm-places", icon: label("sm-region", region[2]),
              interactive: false, keyboard: false,
            }));
          });
        });
      });
    }

    function drawPlaces(bounds, zoom) {
      places.clearLayers();
      if (!showPlaces) { return Promise.resolve(); }
      const present = new Set(index.places);
      const keys = zoom > index.world_places_zoom
        ? tileKeys(bounds, index.place_tile_degrees).filter((k) => present.has(k)) : [];
      return Promise.all(keys.map(function (key) {
        return tile("places", key, root + "/places/" + key + ".json", (rows) => rows);
      })).then(function (tiles) {
        // Each file is sorted largest first; the largest places in view win.
        const candidates = worldPlaces.concat.apply(worldPlaces, tiles.filter(Boolean));
        const shown = candidates
          .filter((p) => p[4] <= zoom && bounds.contains([p[0], p[1]]))
          .sort((a, b) => a[4] - b[4])
          .slice(0, MAX_PLACE_LABELS);
        shown.forEach(function (place) {
          const title = place[3] ? place[2] + " — " + place[3] : place[2];
          places.addLayer(L.marker([place[0], place[1]], {
            pane: "sm-places", icon: label("sm-place", place[2], title),
            keyboard: false, bubblingMouseEvents: true,
          }));
        });
      });
    }

    function countryLayer(collection) {
      return L.geoJSON(collection, {
        pane: "sm-land", renderer: renderer, interactive: false, style: COUNTRY_STYLE,
      });
    }

    // Far out, the world's light outlines (fetched the first time they are needed); closer,
    // the detailed outlines of the countries near the view only, a file each: the others are
    // neither fetched nor re-projected at each zoom.
    function drawCountries(bounds, zoom) {
      let wanted;
      if (zoom < DETAILED_COUNTRIES_FROM_ZOOM) {
        if (!outlines.world) {
          outlines.world = fetchJson(root + "/" + WORLD_COUNTRIES).then(countryLayer)
            .catch(function () { return null; });
        }
        wanted = [outlines.world];
      } else {
        const near = new Set();
        tileKeys(bounds.pad(0.5), index.country_tile_degrees).forEach(function (square) {
          (index.countries[square] || []).forEach((key) => near.add(key));
        });
        wanted = Array.from(near).map(function (key) {
          return tile("countries", key, root + "/" + COUNTRIES_DIR + "/" + key + ".json", countryLayer);
        });
      }
      return Promise.all(wanted).then(function (layers) {
        if (map.getZoom() !== zoom) { return; }
        const shown = new Set(layers.filter(Boolean));
        countries.eachLayer(function (layer) { if (!shown.has(layer)) { countries.removeLayer(layer); } });
        shown.forEach(function (layer) {
          layer.setStyle(zoom >= LAND_FROM_ZOOM ? FILL_ONLY : COUNTRY_STYLE);
          if (!countries.hasLayer(layer)) { countries.addLayer(layer); }
        });
      });
    }

    let drawnView = null;

    function redraw() {
      if (!index) { return; }
      const bounds = map.getBounds(), zoom = map.getZoom();
      // A move that ends where the map already was (the page setting the view it shows, after
      // a click) keeps what is drawn: clearing and adding the same layers is a frame's work.
      const view = zoom + " " + bounds.toBBoxString();
      if (view === drawnView) { return; }
      drawnView = view;
      map.getContainer().dataset.basemapZoom = String(zoom);
      Promise.all([drawCountries(bounds, zoom), drawLand(bounds, zoom), drawRegions(bounds, zoom),
                   drawPlaces(bounds, zoom)])
        .then(function () { map.getContainer().dataset.basemapDrawn = String(zoom); });
    }

    function fallBack() {
      // The online tiles cannot be reached: the offline map shows through, with place names.
      if (showPlaces) { return; }
      showPlaces = true;
      const note = L.control({position: "topright"});
      note.onAdd = function () {
        const box = L.DomUtil.create("div", "sm-offline-note");
        box.textContent = "Online map tiles cannot be reached: showing the offline map.";
        return box;
      };
      note.addTo(map);
      drawnView = null;  // the same view, drawn now with its place names
      redraw();
    }

    if (options.online) {
      let tilesLoaded = 0, tileErrors = 0;
      const watch = function (layer) {
        if (!(layer instanceof L.TileLayer) || layer._strikemapWatched) { return; }
        layer._strikemapWatched = true;
        layer.on("tileload", () => { tilesLoaded += 1; });
        layer.on("tileerror", function () {
          tileErrors += 1;
          if (tilesLoaded === 0 && tileErrors >= 2) { fallBack(); }
        });
      };
      // The tile layer may be added before this runs or after it.
      map.eachLayer(watch);
      map.on("layeradd", (event) => watch(event.layer));
    }

    Promise.all([fetchJson(root + "/index.json"), fetchJson(root + "/places/world.json")])
      .then(function (parts) {
        index = parts[0];
        worldPlaces = parts[1];
        map.on("moveend", redraw);
        redraw();
      })
      .catch(function () {
        // Not built yet (`make setup`): the page says so; the map shows the events on the sea.
        map.getContainer().dataset.basemapMissing = "true";
      });
  };
})();
