/* Showroom maps. The page is complete without this script: a list of showrooms with
   addresses and geo: links. With JavaScript and Leaflet (shipped in theme/vendor/leaflet),
   the hidden #showroom-map is shown and gets one marker per element carrying
   data-lat/data-lon; a marker's popup links to the showroom's page. */
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
    places.forEach(function (place) {
      var name = place.item.getAttribute("data-name") || "";
      var marker = L.marker(place.at, { title: name, alt: name });
      marker.bindPopup(popupFor(place.item));
      marker.addTo(map);
      var icon = marker.getElement();
      if (icon) { icon.setAttribute("data-showroom", place.item.getAttribute("data-id") || ""); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
