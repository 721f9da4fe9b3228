/*
 * The map of templates/includes/map.html. The page lists the places by city, or links to the
 * page that does; this script adds a box that says where the map's tiles come from, and only
 * when the visitor presses its button loads Leaflet and the places (from this site, the latter
 * as JSON from the section's data-places-url) and the tiles (from the tile server of
 * settings.MAP_TILE_URL). The choice is remembered for this browser tab only (sessionStorage),
 * never in a cookie.
 *
 * Names come from editors: the popups are built with textContent, never as HTML.
 */
(function () {
  "use strict";

  var CONSENT_KEY = "quartier.map.tiles";
  // Closest zoom when the map fits its places: one place alone shows its neighbourhood.
  var FIT_MAX_ZOOM = 15;
  var GERMANY = [51.2, 10.4];
  var GERMANY_ZOOM = 6;

  function remembered(tileUrl) {
    try {
      return window.sessionStorage.getItem(CONSENT_KEY) === tileUrl;
    } catch (error) {
      return false;  // Storage switched off: ask every time.
    }
  }

  function remember(tileUrl) {
    try {
      window.sessionStorage.setItem(CONSENT_KEY, tileUrl);
    } catch (error) {
      // Storage switched off: nothing to remember it in.
    }
  }

  var leafletCallbacks = null;

  /* Leaflet's stylesheet and script, added to the page once whatever the number of maps. */
  function loadLeaflet(section, done, failed) {
    if (window.L) {
      done();
      return;
    }
    if (leafletCallbacks) {
      leafletCallbacks.push([done, failed]);
      return;
    }
    leafletCallbacks = [[done, failed]];
    if (!document.querySelector("link[data-leaflet-style]")) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = section.dataset.leafletStyle;
      style.setAttribute("data-leaflet-style", "");
      document.head.appendChild(style);
    }
    var script = document.createElement("script");
    script.src = section.dataset.leafletScript;
    script.onload = function () {
      var callbacks = leafletCallbacks;
      leafletCallbacks = null;
      callbacks.forEach(function (callback) { callback[0](); });
    };
    script.onerror = function () {
      var callbacks = leafletCallbacks;
      leafletCallbacks = null;
      script.remove();
      callbacks.forEach(function (callback) { callback[1](); });
    };
    document.head.appendChild(script);
  }

  /* The places of the section, fetched once: ``{"places": [{name, url, lat, lon, ...}]}``. */
  function loadPlaces(section) {
    if (!section.placesRequest) {
      section.placesRequest = window.fetch(section.dataset.placesUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }).then(function (data) {
        return data.places;
      });
      section.placesRequest.catch(function () {
        section.placesRequest = null;  // to try again with the next press of the button
      });
    }
    return section.placesRequest;
  }

  function popupContent(place) {
    var content = document.createElement("div");
    var name = document.createElement("a");
    name.className = "kern-link place-map__popup-link";
    name.href = place.url;
    name.textContent = place.name;
    var details = document.createElement("span");
    details.className = "place-map__popup-details";
    details.textContent = place.city ? place.kindLabel + ", " + place.city : place.kindLabel;
    content.appendChild(name);
    content.appendChild(document.createElement("br"));
    content.appendChild(details);
    return content;
  }

  function drawMap(section, canvas, places) {
    var data = section.dataset;
    var L = window.L;
    var map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut }).addTo(map);
    L.tileLayer(data.tileUrl, {
      attribution: data.attribution,
      maxZoom: parseInt(data.maxZoom, 10) || 18
    }).addTo(map);
    var icon = L.icon({
      iconUrl: data.markerIcon,
      iconRetinaUrl: data.markerIconRetina,
      shadowUrl: data.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
    var points = places.map(function (place) {
      var point = [place.lat, place.lon];
      L.marker(point, { icon: icon, alt: place.name, title: place.name })
        .bindPopup(popupContent(place))
        .addTo(map);
      return point;
    });
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", data.labelClose);
        close.title = data.labelClose;
      }
    });
    if (points.length) {
      map.fitBounds(L.latLngBounds(points), { padding: [32, 32], maxZoom: FIT_MAX_ZOOM });
    } else {
      map.setView(GERMANY, GERMANY_ZOOM);  // changed since the page was made: none is left
    }
    return map;
  }

  function showMap(section, moveFocus) {
    var consent = section.querySelector("[data-map-consent]");
    var canvas = section.querySelector("[data-map-canvas]");
    var error = section.querySelector("[data-map-error]");
    consent.hidden = true;
    error.hidden = true;
    canvas.hidden = false;

    function failed() {
      canvas.hidden = true;
      consent.hidden = false;
      error.hidden = false;
    }

    var places = loadPlaces(section);
    loadLeaflet(
      section,
      function () {
        places.then(function (found) {
          drawMap(section, canvas, found);
          if (moveFocus) {
            // The button is gone; the map takes its place in the keyboard order.
            canvas.focus();
          }
        }, failed);
      },
      failed
    );
  }

  function enhance(section) {
    if (section.dataset.mapReady) {
      return;
    }
    section.dataset.mapReady = "true";
    var tileUrl = section.dataset.tileUrl;
    section.querySelector("[data-map-show]").addEventListener("click", function () {
      remember(tileUrl);
      showMap(section, true);
    });
    if (remembered(tileUrl)) {
      showMap(section, false);
    } else {
      section.querySelector("[data-map-consent]").hidden = false;
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-place-map]"), enhance);
})();
