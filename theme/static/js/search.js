// Product search on the static index that plugins/ocop_search/index.py writes under search-index/ (no server).
// A first query loads the language's entry, the token shards of the words typed and the result cards shown;
// the filters' columns load when the filters are opened.
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
const COLUMN_KEYS = ["group", "set", "kind"];  // in the filters file; the others are in the entry
const PAGE = 24;
const FORMAT = 1;  // plugins/ocop_search/index.py FORMAT
const root = new URL(form.dataset.root, location.href);
const indexUrl = new URL("search-index/", root);

let entry = null;  // the language's entry: places, stars, status, file names, filter values
let offsets = [];  // slot → column position of its first product
let columns = null;  // group, set, kind of every product (the filters file)
let totals = {};
let filtersLoaded = false;
let sequence = 0;
let timer = null;  // typing waits a moment before searching
let pending = [];  // results not shown yet: ids
const files = new Map();  // url → promise of its JSON: each file is fetched once per visit

function getJson(path) {
  const url = new URL(path, indexUrl).href;
  if (!files.has(url)) {
    files.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json();
    }));
  }
  return files.get(url);
}

// As ocop.text.fold and index.tokens: tone marks and đ folded, lower case, words of a-z0-9;
// English words lose a plural s.
function tokens(text) {
  const folded = text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
  const words = folded.match(/[a-z0-9]+/g) || [];
  if (strings.lang !== "en") return words;
  return words.map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

async function loadEntry() {
  entry = await getJson(`${strings.lang}.json`);
  if (entry.format !== FORMAT) throw new Error(`search index format ${entry.format}, this page reads ${FORMAT}`);
  let position = 0;
  offsets = entry.slots.map((slot) => {
    const first = position;
    position += slot[2];
    return first;
  });
}

function positionOf(id) {
  return offsets[Math.floor(id / entry.slot_size)] + (id % entry.slot_size);
}

function allIds() {
  const ids = [];
  entry.slots.forEach((slot, i) => {
    for (let rank = 0; rank < slot[2]; rank++) ids.push(i * entry.slot_size + rank);
  });
  return ids;
}

function valueOf(key, id, position) {
  const values = entry.values[key];
  if (key === "province" || key === "district") return values[entry.slots[Math.floor(id / entry.slot_size)][key === "province" ? 0 : 1]];
  if (key === "stars") return values[parseInt(entry.stars[position], 10) - 1];
  return values[parseInt(columns[key][position], 36)];
}

function isLapsed(position) {
  const code = entry.status[position];
  return code === "x" || code === "r";
}

// id → score: every word must match; an exact word scores its field's weight twice, the word being
// typed (the last) also matches as a prefix, once.
async function match(words) {
  const keys = [...new Set(words.map((w) => w.slice(0, 2)))].filter((key) => entry.shards[key]);
  const shards = Object.fromEntries(await Promise.all(
    keys.map(async (key) => [key, await getJson(`${strings.lang}/t/${key}-${entry.shards[key]}.json`)]),
  ));
  const fields = entry.weights.length;
  let scores = null;
  words.forEach((word, i) => {
    const prefix = i === words.length - 1 && word.length >= 2;
    const shard = (shards[word.slice(0, 2)] || {}).words || {};
    const best = new Map();
    for (const [token, gaps] of Object.entries(shard)) {
      const exact = token === word;
      if (!exact && !(prefix && token.startsWith(word))) continue;
      let code = 0;
      for (const gap of gaps) {
        code += gap;
        const id = Math.floor(code / fields);
        const score = entry.weights[code % fields] * (exact ? 2 : 1);
        if (!(best.get(id) >= score)) best.set(id, score);
      }
    }
    if (scores === null) {
      scores = best;
    } else {
      const both = new Map();
      for (const [id, score] of scores) if (best.has(id)) both.set(id, score + best.get(id));
      scores = both;
    }
  });
  return scores;
}

async function loadColumns() {
  if (!columns) columns = await getJson(`${strings.lang}/f-${entry.filters}.json`);
}

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
  await loadColumns();
  totals = {};
  for (const key of FILTER_KEYS) totals[key] = {};
  for (const id of allIds()) {
    const position = positionOf(id);
    for (const key of FILTER_KEYS) {
      const value = valueOf(key, id, position);
      if (value) totals[key][value] = (totals[key][value] || 0) + 1;
    }
  }
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

// What card() shows of a product: its card in its chunk, and its stars, group and status from the entry.
function resultData(id, chunk) {
  const [slug, title, thumb, webp, place, former, group] = chunk[id % entry.chunk_size];
  const position = positionOf(id);
  const [status, statusLabel] = entry.statuses[entry.status[position]];
  return {
    url: `${root.pathname}${entry.prefix}${slug}/`,
    meta: {
      title, thumb, webp, place, former, status,
      stars: entry.stars[position],
      group: entry.groups[group],
      group_label: entry.values.group[group],
      status_label: statusLabel,
    },
  };
}

async function showMore(token) {
  const batch = pending.splice(0, PAGE);
  const numbers = [...new Set(batch.map((id) => Math.floor(id / entry.chunk_size)))];
  const chunks = new Map(await Promise.all(numbers.map(async (n) => [n, await getJson(`${strings.lang}/c/${n}-${entry.chunks[n]}.json`)])));
  if (token !== sequence) return;
  for (const id of batch) {
    const lapsed = isLapsed(positionOf(id));
    const target = lapsed ? lapsedEl : listEl;
    target.append(card(resultData(id, chunks.get(Math.floor(id / entry.chunk_size)))));
    if (lapsed) lapsedEl.hidden = lapsedHeading.hidden = false;
  }
  moreButton.hidden = pending.length === 0;
}

const STAR_RE = /(^|\s)([1-5])\s*-?\s*(sao|stars?|★)(?=\s|$)/iu;

function starLevel(q) {
  const match = q.match(STAR_RE);
  const starValue = match ? strings.star_values[match[2]] : null;
  if (!starValue) return { text: q, starValue: null };
  return { text: (q.slice(0, match.index) + " " + q.slice(match.index + match[0].length)).trim(), starValue };
}

// The results among `candidates` (id → score) that pass every filter, best first, listed before lapsed;
// and each filter value's count: for a key the visitor ticked, what it gives alongside the other keys'
// filters, for the others what it gives among the results.
function filterAndCount(candidates, effective, chosen) {
  const keys = Object.keys(effective);
  const wanted = Object.fromEntries(keys.map((key) => [key, new Set(effective[key])]));
  const counts = Object.fromEntries(FILTER_KEYS.map((key) => [key, {}]));
  const found = [];
  for (const [id, score] of candidates) {
    const position = positionOf(id);
    let failed = null;
    let fails = 0;
    for (const key of keys) {
      if (wanted[key].has(valueOf(key, id, position))) continue;
      fails += 1;
      failed = key;
      if (fails > 1) break;
    }
    if (fails === 0) found.push({ id, score, lapsed: isLapsed(position) });
    if (!filtersLoaded || fails > 1 || (fails === 1 && !(failed in chosen))) continue;
    for (const key of fails === 1 ? [failed] : FILTER_KEYS) {
      const value = valueOf(key, id, position);
      if (value) counts[key][value] = (counts[key][value] || 0) + 1;
    }
  }
  found.sort((a, b) => a.lapsed - b.lapsed || b.score - a.score || a.id - b.id);
  return { found, counts };
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
  const { text, starValue } = starLevel(q);
  const effective = starValue ? { ...chosen, stars: [starValue] } : chosen;
  if (Object.keys(effective).some((key) => COLUMN_KEYS.includes(key))) await loadColumns();
  const words = tokens(text);
  // Text without a word (only signs) matches nothing; no text at all (stars or filters only) matches all.
  const candidates = words.length ? await match(words) : new Map(text ? [] : allIds().map((id) => [id, 0]));
  if (token !== sequence) return;
  const { found, counts } = filterAndCount(candidates, effective, chosen);
  updateCounts(counts);
  const n = found.length;
  statusLine.textContent = n === 0 ? strings.none : n === 1 ? strings.found_one : strings.found_many.replace("{n}", n);
  pending = found.map((result) => result.id);
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
    await loadEntry();
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
