/* The catalogue's additions to Decap CMS at /admin/ (plugins/ocop_editor copies this file there).
 *
 * Before a save (Decap's preSave event): empty fields are dropped, so the file holds only what staff filled in
 * (the record schema refuses empty texts); a new record gets its `id` from its Vietnamese name when left empty;
 * the checks a form cannot express (score band of the star level, GTIN check digit) refuse the save with the
 * build's own message, so nothing is written.
 * After a save: the preview server's list of problems (problems.json, `make edit`) is shown for that record.
 */
(function () {
  "use strict";
  var rules = JSON.parse(document.getElementById("ocop-editor-rules").textContent);
  var M = rules.messages;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function isCollection(v) {
    return v !== null && typeof v === "object" && typeof v.toJS === "function";
  }

  function blank(v) {
    return v === null || v === undefined || (typeof v === "string" && v.trim() === "") || (isCollection(v) && v.size === 0);
  }

  var rank = {};
  rules.order.forEach(function (key, i) { rank[key] = i; });

  function byRank(value, key) {
    return Object.prototype.hasOwnProperty.call(rank, key) ? rank[key] : 1e6;
  }

  // Decap's data are Immutable.js collections: pruned with their own map/filter so Decap can write them, and
  // each mapping put in the schema's order (Decap orders only the top level; a hand-written record's order).
  function prune(v) {
    if (!isCollection(v)) {
      return v;
    }
    var kept = v.map(prune).filter(function (x) { return !blank(x); });
    return typeof kept.push === "function" ? kept : kept.toOrderedMap().sortBy(byRank);
  }

  function slugify(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50).replace(/-+$/, "");
  }

  function gtinValid(code) {
    var digits = code.split("").map(Number);
    var check = digits.pop();
    var total = 0;
    digits.reverse().forEach(function (d, i) { total += d * (i % 2 === 0 ? 3 : 1); });
    return (10 - (total % 10)) % 10 === check;
  }

  function problems(data) {
    var found = [];
    (data.certificates || []).forEach(function (c, i) {
      var band = rules.bands[String(c.stars)];
      var score = Number(c.score);
      if (band && c.score !== undefined && c.score !== null && c.score !== "" && (score < band[0] || score > band[1])) {
        found.push(fill(M.field, { field: "certificates[" + i + "].score" }) + " " +
          fill(M.score, { score: score, stars: c.stars, low: band[0], high: band[1] }));
      }
    });
    var gtin = data.offer && data.offer.gtin;
    if (gtin && /^([0-9]{8}|[0-9]{12,14})$/.test(gtin) && !gtinValid(gtin)) {
      found.push(fill(M.field, { field: "offer.gtin" }) + " " + fill(M.gtin, { found: "'" + gtin + "'" }));
    }
    return found;
  }

  // For the browser tests and for a look in the browser's console.
  window.ocopEditor = { problems: problems, slugify: slugify };

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var data = prune(entry.get("data"));
      var found = problems(data.toJS());
      if (!entry.get("newRecord") && !data.get("id")) {
        found.unshift(fill(M.field, { field: "id" }) + " " + M.id_missing);
      }
      if (found.length) {
        showProblems(found, "");
        throw new Error(M.title + ": " + found.join(" "));
      }
      var name = data.getIn(["name", "vi"]);
      if (entry.get("newRecord") && !data.get("id") && name) {
        data = data.set("id", slugify(name));
      }
      return data;
    }
  });

  CMS.registerEventListener({
    name: "postSave",
    handler: function (event) {
      var entry = event.entry;
      var since = Date.now() / 1000;
      showProblems([], M.checking);
      // A new entry's event carries no path yet: Decap has opened the saved entry by then, whose address names
      // its collection and file name.
      setTimeout(function () {
        var path = entry.get("path");
        var opened = /#\/collections\/([^/]+)\/entries\/([^/?]+)/.exec(window.location.hash);
        if (!path && opened && rules.folders[opened[1]]) {
          path = rules.folders[opened[1]] + "/" + decodeURIComponent(opened[2]) + ".yaml";
        }
        if (path) {
          waitForProblems(path, since, 0);
        }
      }, 1000);
    }
  });

  // --- the build's problems for the saved record, from the preview server (`make edit`) -----------------

  function panel() {
    var box = document.getElementById("ocop-problems");
    if (!box) {
      box = document.createElement("div");
      box.id = "ocop-problems";
      box.setAttribute("role", "status");
      box.style.cssText = "position:fixed;bottom:1rem;left:1rem;right:1rem;z-index:9999;max-height:40vh;overflow:auto;" +
        "padding:.75rem 2.5rem .75rem 1rem;border-radius:6px;font:15px/1.4 system-ui,sans-serif;" +
        "box-shadow:0 2px 12px rgba(0,0,0,.25);";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", M.close);
      close.style.cssText = "position:absolute;top:.25rem;right:.5rem;border:0;background:none;font-size:1.5rem;cursor:pointer";
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(close);
      box.appendChild(document.createElement("div"));
      document.body.appendChild(box);
    }
    return box;
  }

  function showProblems(lines, heading) {
    var box = panel();
    var errors = lines.some(function (l) { return l.indexOf(": " + M.error_word + ":") >= 0; }) || !heading;
    box.style.background = errors ? "#fde8e8" : lines.length || heading === M.checking ? "#fff6db" : "#e6f4ea";
    var body = box.lastChild;
    body.textContent = "";
    var title = document.createElement("strong");
    title.textContent = heading || M.title;
    body.appendChild(title);
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    body.appendChild(list);
  }

  function waitForProblems(path, since, tries) {
    fetch("problems.json?t=" + Date.now(), { cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (report) {
      if (report && report.checked >= since) {
        var lines = report.files[path] || [];
        showProblems(lines, lines.length ? fill(M.found, { count: lines.length }) : M.none);
      } else if (report && tries < 600) {  // a national-scale rebuild may take minutes
        setTimeout(function () { waitForProblems(path, since, tries + 1); }, 1000);
      }
    }).catch(function () { /* no preview server (a git-host editor): CI reports the problems */ });
  }
}());
