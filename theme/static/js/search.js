// Product search on top of the Pagefind JS API (plugins/ocop_search builds the index).
// Results: listed products first (by relevance), then expired and revoked ones, marked.
const form = document.getElementById("search");
const strings = JSON.parse(document.getElementById("search-strings").textContent);
const input = document.getElementById("search-q");
const statusLine = document.getElementById("search-status");
const listEl = document.getElementById("search-results");
const lapsedEl = document.getElementById("search-lapsed");
const lapsedHeading = document.getElementById("search-lapsed-h");
const moreButton = document.getElementById("search-more");
const filtersEl = document.getElementById("search-filters");
const filtersBox = document.getElementById("search-filters-box");
const FILTER_KEYS = ["province", "district", "stars", "group", "set", "kind"];
const PAGE = 24;
const root = new URL(form.dataset.root, location.href);

let pagefind = null;
let totals = {};
let filtersLoaded = false;  // the filter chunks (~45 KiB each at 20,000 products) load when the filters open
let sequence = 0;
let timer = null;  // typing waits a moment before searching
let pending = [];  // results not shown yet: {result, lapsed}

const collator = new Intl.Collator(strings.lang === "vi" ? "vi" : "en");

function orderValues(key, values) {
  const order = { group: strings.order_group, kind: strings.order_kind }[key];
  if (order) return values.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || collator.compare(a, b));
  if (key === "stars") return values.sort((a, b) => parseInt(b, 10) - parseInt(a, 10));
  return values.sort(collator.compare);
}

function selected() {
  const chosen = {};
  for (const box of filtersEl.querySelectorAll("input[type=checkbox]:checked")) {
    (chosen[box.name] ||= []).push(box.value);
  }
  return chosen;
}

function buildFilters(params) {
  for (const key of FILTER_KEYS) {
    const fieldset = filtersEl.querySelector(`[data-filter="${key}"]`);
    const values = orderValues(key, Object.keys(totals[key] || {}));
    fieldset.hidden = values.length < 2;
    const box = fieldset.querySelector(".filter-values");
    box.replaceChildren(...values.map((value) => {
      const label = document.createElement("label");
      const check = document.createElement("input");
      check.type = "checkbox";
      check.name = key;
      check.value = value;
      check.checked = params.getAll(key).includes(value);
      const count = document.createElement("span");
      count.className = "count";
      label.append(check, " ", value, " ", count);
      return label;
    }));
  }
}

async function loadFilters(params) {
  if (filtersLoaded) return;
  totals = await pagefind.filters();
  buildFilters(params);
  filtersLoaded = true;
}

function updateCounts(counts) {
  if (!filtersLoaded) return;
  for (const check of filtersEl.querySelectorAll("input[type=checkbox]")) {
    const n = (counts[check.name] || {})[check.value] || 0;
    check.parentElement.querySelector(".count").textContent = n;
    check.parentElement.classList.toggle("empty", n === 0 && !check.checked);
  }
}

// The other language's search page gets the words and the place filters: the other filters'
// values are words of this language ("4 sao" / "4 stars").
const SHARED_KEYS = ["province", "district"];
const langSwitch = document.querySelector(".lang-switch");
const langSwitchBase = langSwitch ? langSwitch.getAttribute("href").split("?")[0] : "";
const headerBox = document.getElementById("site-search");

function syncUrl(q, chosen) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  for (const [key, values] of Object.entries(chosen)) for (const v of values) params.append(key, v);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  if (headerBox) headerBox.value = q;
  if (langSwitch) {
    const shared = new URLSearchParams();
    if (q) shared.set("q", q);
    for (const key of SHARED_KEYS) for (const v of chosen[key] || []) shared.append(key, v);
    const rest = shared.toString();
    langSwitch.setAttribute("href", rest ? `${langSwitchBase}?${rest}` : langSwitchBase);
  }
}

function starsHtml(n) {
  const span = document.createElement("span");
  span.className = "stars";
  span.setAttribute("role", "img");
  span.setAttribute("aria-label", strings.star_values[n] || String(n));
  const inner = document.createElement("span");
  inner.setAttribute("aria-hidden", "true");
  const off = document.createElement("span");
  off.className = "star-off";
  off.textContent = "★".repeat(5 - n);
  inner.append("★".repeat(n), off);
  span.append(inner);
  return span;
}

// WebP where the browser takes it, the JPEG otherwise, as on the product pages.
function photo(m) {
  const picture = document.createElement("picture");
  if (m.webp) {
    const source = document.createElement("source");
    source.type = "image/webp";
    source.srcset = new URL(m.webp, root).href;
    picture.append(source);
  }
  const img = document.createElement("img");
  img.src = new URL(m.thumb, root).href;
  img.alt = "";
  img.loading = "lazy";
  img.decoding = "async";
  picture.append(img);
  return picture;
}

// A product without a photo: its group's pictogram and name, in the photo's place.
const SVG = "http://www.w3.org/2000/svg";
const PICTOGRAMS = {
  food: "M3 11h18a9 9 0 0 1-18 0zM8 8c0-2 1.5-2 1.5-4M12 8c0-2 1.5-2 1.5-4M16 8c0-2 1.5-2 1.5-4",
  drinks: "M5 4h12l-1.5 16h-9zM16.6 8H19a2 2 0 0 1 0 4h-2.8",
  herbal: "M5 19C5 9 11 4 20 4c0 9-5 15-15 15zM5 19l9-9",
  handicrafts: "M9 3h6M10 3c0 3-4 5-4 10a6 6 0 0 0 12 0c0-5-4-7-4-10",
  ornamental: "M12 21v-8M12 13a3 3 0 1 1 0-6 3 3 0 0 1 0 6zM12 17c-2 0-4-1-5-3M12 17c2 0 4-1 5-3M8 21h8",
  tourism: "M2 20l7-12 4 6 3-4 6 10z",
};

function placeholder(m) {
  const box = document.createElement("span");
  box.className = "no-photo";
  box.setAttribute("aria-hidden", "true");
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "pictogram");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", PICTOGRAMS[m.group] || PICTOGRAMS.food);
  svg.append(path);
  const label = document.createElement("span");
  label.className = "no-photo-label";
  label.textContent = m.group_label || "";
  box.append(svg, label);
  return box;
}

function card(data) {
  const m = data.meta;
  const li = document.createElement("li");
  li.className = `card status-${m.status}`;
  li.dataset.status = m.status;
  const a = document.createElement("a");
  a.href = data.url;
  a.append(m.thumb ? photo(m) : placeholder(m));
  const name = document.createElement("span");
  name.className = "card-name";
  name.textContent = m.title;
  a.append(name);
  const meta = document.createElement("span");
  meta.className = "card-meta";
  const stars = parseInt(m.stars, 10) || 0;
  meta.append(starsHtml(stars), ` · ${m.place}`);
  li.append(a, meta);
  if (m.former) {
    const former = document.createElement("span");
    former.className = "card-former";
    former.textContent = `(${m.former})`;
    li.append(former);
  }
  if (m.status !== "active") {
    const badge = document.createElement("span");
    badge.className = `badge badge-${m.status}`;
    badge.textContent = m.status_label;
    li.append(badge);
  }
  return li;
}

async function showMore(token) {
  const batch = pending.splice(0, PAGE);
  const datas = await Promise.all(batch.map((item) => item.result.data()));
  if (token !== sequence) return;
  batch.forEach((item, i) => {
    const target = item.lapsed ? lapsedEl : listEl;
    target.append(card(datas[i]));
    if (item.lapsed) lapsedEl.hidden = lapsedHeading.hidden = false;
  });
  moreButton.hidden = pending.length === 0;
}

const STAR_RE = /(^|\s)([1-5])\s*-?\s*(sao|stars?|★)(?=\s|$)/iu;

function starLevel(q) {
  const match = q.match(STAR_RE);
  const starValue = match ? strings.star_values[match[2]] : null;
  if (!starValue) return { text: q, starValue: null };
  return { text: (q.slice(0, match.index) + " " + q.slice(match.index + match[0].length)).trim(), starValue };
}

function withFilter(chosen, extra) {
  const filters = {};
  for (const [key, values] of Object.entries(chosen)) filters[key] = { any: values };
  return Object.assign(filters, extra);
}

async function run() {
  try {
    await search();
  } catch (err) {
    statusLine.textContent = strings.error;
    form.dataset.busy = "false";
    console.error(err);
  }
}

async function search() {
  clearTimeout(timer);
  const token = ++sequence;
  const q = input.value.trim();
  form.dataset.busy = "true";
  const chosen = selected();
  syncUrl(q, chosen);
  listEl.replaceChildren();
  lapsedEl.replaceChildren();
  lapsedEl.hidden = lapsedHeading.hidden = moreButton.hidden = true;
  pending = [];
  if (!q && Object.keys(chosen).length === 0) {
    statusLine.textContent = strings.idle;
    updateCounts(totals);
    done(token, q);
    return;
  }
  statusLine.textContent = strings.loading;
  // "4 sao" / "4 stars" / "4★" is a star level: it becomes a stars filter, the rest is the text.
  // With no other words the star words themselves stay the search text: a filter-only search
  // would make Pagefind load every index chunk, the words load only their own.
  const { text, starValue } = starLevel(q);
  const term = text || q || null;
  const effective = starValue ? { ...chosen, stars: [starValue] } : chosen;
  const [listed, lapsed] = await Promise.all([
    pagefind.search(term, { filters: withFilter(effective, { not: { certificate: "lapsed" } }) }),
    pagefind.search(term, { filters: withFilter(effective, { certificate: "lapsed" }) }),
  ]);
  // The two searches split the results, so their counts add up to the counts of the whole search.
  const counts = {};
  for (const part of [listed.filters, lapsed.filters]) {
    for (const [key, values] of Object.entries(part)) {
      counts[key] ||= {};
      for (const [value, n] of Object.entries(values)) counts[key][value] = (counts[key][value] || 0) + n;
    }
  }
  // For a key with ticked values, each value's count is what it gives alongside the other keys' filters.
  if (filtersLoaded) await Promise.all(Object.keys(chosen).map(async (key) => {
    const others = { ...effective };
    delete others[key];
    counts[key] = (await pagefind.search(term, { filters: withFilter(others, {}) })).filters[key];
  }));
  if (token !== sequence) return;
  updateCounts(counts);
  const n = listed.results.length + lapsed.results.length;
  statusLine.textContent = n === 0 ? strings.none : n === 1 ? strings.found_one : strings.found_many.replace("{n}", n);
  pending = listed.results.map((result) => ({ result, lapsed: false }))
    .concat(lapsed.results.map((result) => ({ result, lapsed: true })));
  await showMore(token);
  done(token, q);
}

// Tests (and anyone scripting the page) wait for data-busy="false" with data-query set.
function done(token, q) {
  if (token !== sequence) return;
  form.dataset.query = q;
  form.dataset.busy = "false";
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(run, 150);
}

async function start() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (headerBox) headerBox.value = input.value;
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ baseUrl: root.pathname });
    await pagefind.init();
    // Filters open by themselves on wide screens and when the address names some; on a phone
    // they wait for a tap, so a first search does not download them.
    filtersBox.hidden = false;
    if (FILTER_KEYS.some((key) => params.has(key)) || matchMedia("(min-width: 50em)").matches) {
      filtersBox.open = true;
      await loadFilters(params);
    }
  } catch (err) {
    statusLine.textContent = strings.error;
    console.error(err);
    return;
  }
  filtersBox.addEventListener("toggle", async () => {
    if (filtersBox.open && !filtersLoaded) {
      await loadFilters(new URLSearchParams(location.search));
      run();
    }
  });
  input.addEventListener("input", later);
  filtersEl.addEventListener("change", run);
  document.getElementById("search-clear").addEventListener("click", () => {
    for (const box of filtersEl.querySelectorAll("input:checked")) box.checked = false;
    run();
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  moreButton.addEventListener("click", () => showMore(sequence));
  form.dataset.ready = "true";
  await run();
}

start();
