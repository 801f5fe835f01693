/* Decap CMS file format "pelican-page": the catalogue's content pages (content/pages/*.md), Pelican Markdown
 * whose first lines are "Name: value" headers (Title, Slug, Lang, Key…), then a blank line, then the body.
 *
 * Decap's front-matter formats expect `---` fences and would rewrite every page on its first save; this one reads
 * the headers as Pelican does (Python-Markdown's `meta` extension: a name of letters, digits, `_` or `-` at most
 * three spaces in, a colon, the value; more lines of a value indented by four spaces; the first blank line ends
 * the headers) and writes them back in the same form, so a page saved unchanged is the same bytes
 * (tests/test_editor_pages.py opens and saves every page of the sample site through these two functions).
 *
 * Names are case-free for Pelican (it lowercases them): the form's data use lower case, the file gets the name
 * with a capital first letter, as every page has it. Headers in the order of the collection's fields (Title,
 * Slug, Lang, Key, then any other the site's pages use), a header no field names after them; empty values are
 * not written (an empty Slug would put the page at the site's root).
 *
 * Loaded in the browser after Decap (registers the format) and by node in the tests (module.exports).
 */
(function (root) {
  "use strict";
  var HEADER = /^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  var MORE = /^ {4,}(.*)$/;
  var BODY = "body";

  function fromFile(text) {
    var lines = text.split("\n");
    var data = {};
    var last = null;
    var i = 0;
    for (; i < lines.length; i++) {
      var line = lines[i];
      var header = HEADER.exec(line);
      var more = MORE.exec(line);
      if (line.trim() === "") {
        i += 1;  // the blank line ends the headers and belongs to neither part
        break;
      } else if (header) {
        last = header[1].toLowerCase();
        var value = header[2].trim();
        data[last] = Object.prototype.hasOwnProperty.call(data, last) ? data[last] + "\n" + value : value;
      } else if (more && last !== null) {
        data[last] += "\n" + more[1].trim();
      } else {
        break;  // not a header: Markdown starts here (Python-Markdown gives the line back to the body)
      }
    }
    data[BODY] = lines.slice(i).join("\n");
    return data;
  }

  function headerName(key) {
    return key.charAt(0).toUpperCase() + key.slice(1);
  }

  function written(value) {
    return value !== undefined && value !== null && String(value).trim() !== "";
  }

  function toFile(data, sortedKeys) {
    var order = (sortedKeys || []).filter(function (k) { return k !== BODY; });
    Object.keys(data).forEach(function (k) {
      if (k !== BODY && order.indexOf(k) < 0) {
        order.push(k);
      }
    });
    var out = [];
    order.forEach(function (key) {
      if (written(data[key])) {
        var parts = String(data[key]).split("\n").map(function (s) { return s.trim(); });
        out.push(headerName(key) + ": " + parts[0]);
        parts.slice(1).forEach(function (s) { out.push("    " + s); });
      }
    });
    var body = data[BODY] === undefined || data[BODY] === null ? "" : String(data[BODY]);
    // A file with no headers (none could be read) stays as it was: nothing is added before its text.
    return out.length ? out.join("\n") + "\n\n" + body : body;
  }

  var format = { fromFile: fromFile, toFile: toFile };
  if (typeof module === "object" && module.exports) {
    module.exports = format;
  }
  if (root && root.CMS) {
    root.CMS.registerCustomFormat("pelican-page", "md", format);
  }
}(typeof window === "undefined" ? null : window));
