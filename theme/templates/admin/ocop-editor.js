/* The catalogue's additions to Decap CMS at /admin/ (plugins/ocop_editor copies this file there).
 *
 * Before a save (Decap's preSave event): empty fields are dropped, so the file holds only what staff filled in
 * (the record schema refuses empty texts); a new record gets its `id` from its Vietnamese name when left empty;
 * the checks a form cannot express (score band of the star level, GTIN check digit) refuse the save with the
 * build's own message, so nothing is written; so do a changed id or page address of an existing record and a new
 * product taking an id or address already given out (records.json, written by the build beside this page), and
 * for a content page a changed address or key, or a new page taking one of its language's.
 * After a save: the preview server's list of problems (problems.json, `make edit`) is shown for that record.
 */
(function () {
  "use strict";
  var rules = JSON.parse(document.getElementById("ocop-editor-rules").textContent);
  var M = rules.messages;

  // Decap 3.16.3's Vietnamese locale lacks these phrases (its English ones showed through, "Add giấy chứng nhận");
  // keys from Decap's English locale. tests/test_editor_browser.py fails when a newer Decap adds keys missing here.
  var PHRASES_VI = {
    auth: {
      loginWithAzure: "Đăng nhập bằng Azure",
      loginWithForgejo: "Đăng nhập bằng Forgejo"
    },
    collection: {
      collectionTop: {
        viewAs: "Xem dạng",
        viewAsList: "Xem dạng danh sách",
        viewAsGrid: "Xem dạng lưới",
        groupBy: "Nhóm theo"
      },
      entries: { unpublishedHeader: "Mục chưa công bố" },
      groups: { other: "Khác", negateLabel: "Không phải %{label}" }
    },
    editor: {
      editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
      editorControlPane: {
        i18n: {
          writingInLocale: "Đang viết bằng %{locale}",
          copyFromLocale: "Điền từ ngôn ngữ khác",
          copyFromLocaleConfirm: "Bạn có muốn điền dữ liệu từ ngôn ngữ %{locale}?\nMọi nội dung đang có sẽ bị ghi đè."
        }
      },
      editorInterface: {
        toggleI18n: "Bật/tắt đa ngôn ngữ",
        togglePreview: "Bật/tắt xem trước",
        toggleScrollSync: "Cuộn đồng bộ",
        toggleNotes: "Bật/tắt ghi chú"
      },
      editorNotesPane: {
        title: "Ghi chú",
        emptyState: "Chưa có ghi chú. Thêm ghi chú đầu tiên ở dưới để cùng làm việc.",
        addNote: "Thêm ghi chú",
        addPlaceholder: "Thêm một ghi chú...",
        editPlaceholder: "Sửa ghi chú...",
        save: "Lưu",
        cancel: "Huỷ",
        edit: "Sửa",
        "delete": "Xoá",
        resolve: "Đã xử lý",
        unresolve: "Chưa xử lý",
        confirmDelete: "Bạn có chắc muốn xoá ghi chú này?",
        shortcut: "Mẹo: nhấn Ctrl+Enter để thêm ghi chú nhanh"
      },
      editorToolbar: {
        statusInfoTooltipDraft: "Mục đang ở trạng thái bản nháp. Để hoàn tất và gửi duyệt, hãy đặt trạng thái là ‘Đang duyệt’",
        statusInfoTooltipInReview: "Mục đang được duyệt, không cần làm gì thêm. Bạn vẫn có thể sửa tiếp trong khi chờ duyệt."
      },
      editorWidgets: {
        markdown: {
          bold: "Đậm",
          italic: "Nghiêng",
          strikethrough: "Gạch ngang",
          code: "Mã",
          link: "Liên kết",
          linkPrompt: "Nhập địa chỉ (URL) của liên kết",
          headings: "Tiêu đề",
          quote: "Trích dẫn",
          bulletedList: "Danh sách dấu đầu dòng",
          numberedList: "Danh sách đánh số",
          addComponent: "Thêm thành phần",
          toggleMode: { rich: "Chuyển sang soạn thảo trực quan", markdown: "Chuyển sang Markdown" }
        },
        image: {
          chooseMultiple: "Chọn các hình",
          chooseUrl: "Chèn từ địa chỉ web",
          replaceUrl: "Thay bằng địa chỉ web",
          promptUrl: "Nhập địa chỉ (URL) của hình",
          addMore: "Thêm hình",
          removeAll: "Gỡ mọi hình"
        },
        file: {
          chooseUrl: "Chèn từ địa chỉ web",
          chooseMultiple: "Chọn các tập tin",
          replaceUrl: "Thay bằng địa chỉ web",
          promptUrl: "Nhập địa chỉ (URL) của tập tin",
          addMore: "Thêm tập tin",
          removeAll: "Gỡ mọi tập tin"
        },
        datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở rộng", collapse: "Thu gọn" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: {
        copy: "Sao chép",
        copyUrl: "Sao chép địa chỉ web",
        copyPath: "Sao chép đường dẫn",
        copyName: "Sao chép tên",
        copied: "Đã sao chép"
      },
      mediaLibraryModal: { close: "Đóng" }
    },
    ui: {
      settingsDropdown: { account: "Tuỳ chọn tài khoản" },
      toast: {
        noteAdded: "Đã thêm ghi chú",
        onFailToAddNote: "Không thêm được ghi chú: %{details}",
        noteUpdated: "Đã cập nhật ghi chú",
        onFailToUpdateNote: "Không cập nhật được ghi chú: %{details}",
        noteDeleted: "Đã xoá ghi chú",
        onFailToDeleteNote: "Không xoá được ghi chú: %{details}",
        noteResolved: "Ghi chú đã xử lý",
        noteReopened: "Ghi chú được mở lại",
        onFailToToggleNote: "Không đổi được trạng thái ghi chú: %{details}"
      }
    }
  };

  // Decap's own Vietnamese first; ours where it has none or left the English one.
  function merged(base, extra, english) {
    var out = {};
    Object.keys(base || {}).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) {
      var mine = extra[k];
      var theirs = out[k];
      var en = english && english[k];
      if (mine !== null && typeof mine === "object") {
        out[k] = merged(theirs && typeof theirs === "object" ? theirs : {}, mine, en);
      } else if (theirs === undefined || theirs === en) {
        out[k] = mine;
      }
    });
    return out;
  }

  // Before Decap reads its phrases: it does so once its configuration has loaded, after this script has run.
  CMS.registerLocale("vi", merged(CMS.getLocale("vi"), PHRASES_VI, CMS.getLocale("en")));


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

  // --- ids and page addresses are permanent ----------------------------------------------------------
  // records.json: {files: {path: {id, slug}}, slugs: {address: product id}}, from the last build (and, under
  // `make edit`, the published memory). Until it has loaded, or without it, the build's guard still refuses.
  var known = { files: {}, slugs: {}, reserved: [] };

  function loadKnown() {
    fetch("records.json?t=" + Date.now(), { cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (data && data.files && data.slugs) {
        known = data;
      }
    }).catch(function () { /* no records.json: nothing more to refuse here */ });
  }
  loadKnown();

  function stemOf(path) {
    return path.replace(/^.*\//, "").replace(/\.(ya?ml|md)$/, "");
  }

  function idsInUse() {
    var ids = {};
    Object.keys(known.slugs).forEach(function (s) { ids[known.slugs[s]] = true; });
    Object.keys(known.files).forEach(function (f) {
      if (known.files[f].id) {
        ids[known.files[f].id] = true;
      }
    });
    return ids;
  }

  // An existing record keeps its id and its page address (its `slug:`, else its file name, which Decap never
  // renames); a new product takes neither an id nor an address given out before, even to a deleted product.
  function identityProblems(data, path, isNew, kind, name) {
    var found = [];
    var was = path ? known.files[path] : null;
    if (!isNew && was) {
      if (data.id && data.id !== was.id) {
        found.push(fill(M.field, { field: "id" }) + " " + fill(M.id_changed, { old: was.id, found: data.id }));
      }
      var slug = data.slug || stemOf(path);
      if (was.slug !== undefined && slug !== was.slug) {
        found.push(fill(M.field, { field: "slug" }) + " " + fill(M.slug_changed, { old: was.slug, found: slug }));
      }
    } else if (isNew && kind === "product") {
      var id = data.id || slugify(name || "");
      if (id && idsInUse()[id]) {
        found.push(fill(M.field, { field: "id" }) + " " + fill(M.id_taken, { found: id }));
      }
      var address = data.slug || slugify(name || "");
      if (address && known.slugs[address]) {
        found.push(fill(M.field, { field: "slug" }) + " " +
          fill(M.slug_taken, { found: address, owner: known.slugs[address] }));
      }
    }
    return found;
  }

  // --- content pages: their address and key are kept too ----------------------------------------------
  // A page's address (its Slug header, else its file name) is published for ever; its key ties it to its twin in
  // the other language and is how the theme links to it. A new page takes neither from a page of its language.
  var KEY = rules.translation;

  function pageOwner(field, value, lang, path) {
    var owner = null;
    Object.keys(known.files).forEach(function (f) {
      var page = known.files[f];
      if (f !== path && page.lang === lang && page[field] === value) {
        owner = stemOf(f);
      }
    });
    return owner;
  }

  function pageProblems(data, path, isNew) {
    var found = [];
    var was = path ? known.files[path] : null;
    var slug = data.slug || (path ? stemOf(path) : "");
    if (isNew && slug && (known.reserved || []).indexOf(slug) >= 0) {
      found.push(fill(M.field, { field: "slug" }) + " " + fill(M.page_slug_reserved, { found: slug }));
    }
    if (!isNew && was) {
      if (slug !== was.slug) {
        found.push(fill(M.field, { field: "slug" }) + " " + fill(M.page_slug_changed, { old: was.slug, found: slug }));
      }
      if ((data[KEY] || "") !== was.key) {
        found.push(fill(M.field, { field: KEY }) + " " + fill(M.page_key_changed, { old: was.key, found: data[KEY] || "" }));
      }
    } else if (isNew) {
      var slugOwner = slug && pageOwner("slug", slug, data.lang, path);
      if (slugOwner) {
        found.push(fill(M.field, { field: "slug" }) + " " + fill(M.page_slug_taken, { found: slug, owner: slugOwner }));
      }
      var keyOwner = data[KEY] && pageOwner("key", data[KEY], data.lang, path);
      if (keyOwner) {
        found.push(fill(M.field, { field: KEY }) + " " + fill(M.page_key_taken, { found: data[KEY], owner: keyOwner }));
      }
    }
    return found;
  }

  // A new page's address from its title, its key (in the default language) from its address; the file is named
  // from the address (the collection's `slug: {{fields.slug}}`), so both agree. An existing page without a Slug
  // header keeps none: Pelican takes its address from the file name.
  function pageData(data, isNew) {
    var out = data;
    if (isNew && !out.get("slug") && out.get("title")) {
      out = out.set("slug", slugify(out.get("title")));
    }
    if (isNew && !out.get(KEY) && out.get("slug")) {
      out = out.set(KEY, out.get("slug"));
    }
    return out;
  }

  function savePage(entry) {
    var isNew = Boolean(entry.get("newRecord"));
    var data = pageData(entry.get("data"), isNew);
    var found = pageProblems(data.toJS(), entry.get("path"), isNew);
    if (found.length) {
      showProblems(found, "");
      throw new Error(M.title + ": " + found.join(" "));
    }
    return data;
  }

  // For the browser tests and for a look in the browser's console.
  window.ocopEditor = {
    problems: problems,
    slugify: slugify,
    identityProblems: identityProblems,
    pageProblems: pageProblems,
    known: function () { return known; }
  };

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      if (rules.kinds[entry.get("collection")] === "page") {
        return savePage(entry);
      }
      var data = prune(entry.get("data"));
      var plain = data.toJS();
      var isNew = Boolean(entry.get("newRecord"));
      var kind = rules.kinds[entry.get("collection")];
      var found = identityProblems(plain, entry.get("path"), isNew, kind, plain.name && plain.name.vi)
        .concat(problems(plain));
      if (!isNew && !data.get("id")) {
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
          path = rules.folders[opened[1]] + "/" + decodeURIComponent(opened[2]) + "." + rules.extensions[opened[1]];
        }
        if (path) {
          waitForProblems(path, since, 0, rules.kinds[entry.get("collection")] === "page" ? M.page_none : M.none);
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

  function waitForProblems(path, since, tries, valid) {
    fetch("problems.json?t=" + Date.now(), { cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (report) {
      if (report && report.checked >= since) {
        var lines = report.files[path] || [];
        loadKnown();  // the record just saved is now one whose id and address are kept
        showProblems(lines, lines.length ? fill(M.found, { count: lines.length }) : valid);
      } else if (report && tries < 600) {  // a national-scale rebuild may take minutes
        setTimeout(function () { waitForProblems(path, since, tries + 1, valid); }, 1000);
      }
    }).catch(function () { /* no preview server (a git-host editor): CI reports the problems */ });
  }
}());
