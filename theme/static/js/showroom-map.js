/* Showroom maps. The page is complete without this script: a list of showrooms with
   addresses and geo: links. With JavaScript and Leaflet (shipped in theme/vendor/leaflet),
   the hidden #showroom-map is shown and gets one marker per element carrying
   data-lat/data-lon; a marker's popup links to the showroom's page. The map's box is laid out before
   the script runs (its height is in the CSS), so drawing it shifts nothing. Markers that would overlap
   at the map's zoom are drawn as one cluster (leaflet.markercluster, vendored beside Leaflet) showing
   how many it holds; activating it zooms in, or fans the markers out at the closest zoom. */
(function () {
  "use strict";

  function popupFor(item) {
    var box = document.createElement("div");
    var link = item.querySelector("a.showroom-name");
    var title = document.createElement(link ? "a" : "strong");
    if (link) { title.href = link.href; }
    title.textContent = item.getAttribute("data-name");
    box.appendChild(title);
    var address = item.querySelector(".showroom-address");
    if (address) {
      var p = document.createElement("div");
      p.textContent = address.textContent;
      box.appendChild(p);
    }
    return box;
  }

  // Leaflet's marker without its shadow: the shadow image has no high-density version, so phones drew it
  // blurred (Lighthouse's image-size-responsive), and the marker reads as well without it.
  function markerIcon() {
    var script = document.querySelector('script[src$="leaflet/leaflet.js"]');
    var images = script ? script.src.replace(/leaflet\.js$/, "images/") : "";
    return L.icon({
      iconUrl: images + "marker-icon.png",
      iconRetinaUrl: images + "marker-icon-2x.png",
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28]
    });
  }

  // A cluster's icon: its count, and in words for screen readers; 40 px, well over the 24 px touch target.
  function clusterIcon(label) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var html = '<span aria-hidden="true">' + n + '</span><span class="visually-hidden">' +
        label.replace("{n}", String(n)) + "</span>";
      return L.divIcon({ html: html, className: "showroom-cluster", iconSize: L.point(40, 40) });
    };
  }

  function init() {
    var el = document.getElementById("showroom-map");
    if (!el || !window.L) { return; }
    var items = document.querySelectorAll("[data-lat][data-lon]");
    if (!items.length) { return; }
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer(el.getAttribute("data-tiles"), {
      attribution: el.getAttribute("data-attribution"),
      maxZoom: 19
    }).addTo(map);
    var places = [];
    Array.prototype.forEach.call(items, function (item) {
      var lat = parseFloat(item.getAttribute("data-lat"));
      var lon = parseFloat(item.getAttribute("data-lon"));
      if (!isNaN(lat) && !isNaN(lon)) { places.push({ item: item, at: [lat, lon] }); }
    });
    if (!places.length) { return; }
    if (places.length === 1) {
      map.setView(places[0].at, parseInt(el.getAttribute("data-zoom") || "15", 10));
    } else {
      map.fitBounds(places.map(function (p) { return p.at; }), { padding: [30, 30], maxZoom: 15 });
    }
    var layer = L.markerClusterGroup ? L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(el.getAttribute("data-cluster-label") || "{n}")
    }) : L.layerGroup();
    var icon = markerIcon();
    places.forEach(function (place) {
      var name = place.item.getAttribute("data-name") || "";
      var marker = L.marker(place.at, { title: name, alt: name, icon: icon });
      marker.bindPopup(popupFor(place.item));
      // The icon element exists only while the marker is on the map (not inside a cluster): tag it each time.
      marker.on("add", function () {
        var icon = marker.getElement();
        if (icon) { icon.setAttribute("data-showroom", place.item.getAttribute("data-id") || ""); }
      });
      layer.addLayer(marker);
    });
    layer.addTo(map);
  }

  // Leaflet's stylesheets, beside its scripts: added here rather than in the page's head, where they held up
  // the first paint of a page whose map is drawn after load anyway. The map is drawn once they are in.
  function withStyles(done) {
    var sheets = [["leaflet/leaflet.js", "leaflet/leaflet.css"],
      ["leaflet.markercluster/leaflet.markercluster.js", "leaflet.markercluster/MarkerCluster.css"]];
    var waiting = 0;
    sheets.forEach(function (pair) {
      var script = document.querySelector('script[src$="' + pair[0] + '"]');
      if (!script) { return; }
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = script.src.slice(0, script.src.length - pair[0].length) + pair[1];
      waiting += 1;
      link.onload = link.onerror = function () { waiting -= 1; if (!waiting) { done(); } };
      document.head.appendChild(link);
    });
    if (!waiting) { done(); }
  }

  function start() { if (document.getElementById("showroom-map") && window.L) { withStyles(init); } }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
