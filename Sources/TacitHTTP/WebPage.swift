/// The single-page UI served at `/`: plain HTML + CSS + JavaScript, no build step and no external
/// URLs (it works offline). The style is in `WebPage+Style.swift`, the script in
/// `WebPage+Script.swift` (the models panel's part below); `WebPageBrowserTests` drives it in a
/// real headless Chromium.
///
/// Stable hooks for tests: `#user-input`, `#load-user`, `#random-user`, `#api-key`, `#messages`,
/// `#recs-home|#recs-product|#recs-cart .item[data-item-id]`, `button[data-action=view|add_to_cart|purchase]`,
/// `#history .event[data-item-id]`, `#history-more`, `#search-input`, `#search-results`, `#search-more`, `#popular`, `#trending`,
/// `#models`, `#retrain`; `body[data-busy]` counts requests in flight. The experiments section's
/// hooks are listed in `WebPage+Experiments.swift`.
enum WebPage {
    static let html = head + "<style>\n" + style + experimentsStyle + "</style>\n</head>\n" + body + experimentsSection
        + "<script>\n" + commonScript + script + modelsScript + experimentsScript + "</script>\n</body>\n</html>\n"

    /// The icon of both pages, inline (a `data:` URI): no request, so no 404 in the console.
    static let favicon = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E"
        + "%3Crect width='32' height='32' rx='7' fill='%233558d8'/%3E%3Cpath d='M8 9h16v4h-6v12h-4V13H8z' fill='white'/%3E%3C/svg%3E"

    static let head = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Tacit</title>
    <link rel="icon" href="\#(favicon)">

    """#

    static let body = #"""
    <body data-busy="0">
    <header class="topbar">
      <h1>Tacit</h1>
      <span id="server-status" class="muted">connecting…</span>
      <span class="spacer"></span>
      <a href="/dashboard" class="muted">dashboard</a>
      <a href="/openapi.yaml" class="muted">openapi.yaml</a>
      <label class="key">API key
        <input id="api-key" type="password" autocomplete="off" placeholder="X-API-Key (optional)">
      </label>
    </header>

    <div id="messages" aria-live="polite"></div>

    <form id="user-form" class="userbar">
      <label for="user-input">User</label>
      <input id="user-input" list="user-examples" placeholder="user id, e.g. u0" autocomplete="off">
      <datalist id="user-examples">
        <option value="u0"></option><option value="u1"></option><option value="u2"></option>
        <option value="u3"></option><option value="u4"></option><option value="a0"></option><option value="b0"></option>
      </datalist>
      <button id="load-user" type="submit" class="primary">Load</button>
      <button id="random-user" type="button">Random user</button>
      <span id="current-user" class="muted">no user loaded</span>
      <span class="spacer"></span>
      <span class="legend">new in the list since the last load: <span class="new-swatch">highlighted</span></span>
    </form>

    <main class="layout">
      <div class="col-main">
        <section id="recs-home" class="recs panel" data-scene="home">
          <div class="section-head"><h2>Home</h2><span class="context muted">personal · trending · content</span><span class="meta"></span></div>
          <div class="items grid"><p class="empty">Pick a user and press Load.</p></div>
        </section>
        <section id="search" class="panel">
          <div class="section-head"><h2>Search the catalogue</h2></div>
          <form id="search-form" class="searchbar">
            <input id="search-input" type="search" placeholder="title, category, brand, tag or id" autocomplete="off">
            <button id="search-button" type="submit">Search</button>
          </form>
          <div id="search-results" class="items grid"></div>
          <button id="search-more" type="button" class="more" hidden>More results</button>
        </section>
        <section id="recs-product" class="recs panel" data-scene="product">
          <div class="section-head"><h2>Product page</h2><span class="context muted"></span><span class="meta"></span></div>
          <div class="items grid"></div>
        </section>
        <section id="recs-cart" class="recs panel" data-scene="cart">
          <div class="section-head"><h2>Cart</h2><span class="context muted"></span><span class="meta"></span></div>
          <div class="items grid"></div>
        </section>
      </div>
      <aside class="col-side">
        <section class="panel">
          <div class="section-head"><h2>History</h2><span id="history-count" class="muted">newest first</span></div>
          <ol id="history"><li class="empty">No user loaded.</li></ol>
          <button id="history-more" type="button" class="more" hidden>Older events</button>
        </section>
        <section class="panel">
          <div class="section-head"><h2>Popular</h2></div>
          <div id="popular" class="items compact"></div>
        </section>
        <section class="panel">
          <div class="section-head"><h2>Trending</h2></div>
          <div id="trending" class="items compact"></div>
        </section>
      </aside>
    </main>

    <section id="models-section" class="panel">
      <div class="section-head">
        <h2>Models</h2><span id="training-status" class="muted"></span><span class="spacer"></span>
        <button id="refresh-models" type="button">Refresh</button>
        <button id="retrain" type="button" class="primary">Retrain</button>
      </div>
      <div id="models"><p class="empty">Loading…</p></div>
    </section>

    """#

    /// The models panel: versions with their metrics, and retraining (POST /v1/models/train, then
    /// polling GET /v1/models until the new version serves). Uses `api`, `el`, `showInfo` and
    /// `refresh` from `script`.
    static let modelsScript = #"""
    // ---- models ----
    async function loadModels() {
      const data = await api("GET", "/v1/models"), box = $("#models");
      const t = data.training;
      // The models of experiment variants serve beside the main one.
      const variants = (data.variant_models || []).map(v => (v.serving ? `${v.model} v${v.serving.version}` : `${v.model} (not trained yet)`) +
        (v.training.in_progress ? " training…" : "") + (v.training.last_error ? ` (last training failed: ${v.training.last_error})` : ""));
      $("#training-status").textContent = (data.serving ? `serving ${data.serving.model} v${data.serving.version}` : "no model serving") +
        (t.in_progress ? " · training…" : "") + (t.last_error ? ` · last training failed: ${t.last_error}` : "") +
        (variants.length ? ` · variant models: ${variants.join(", ")}` : "");
      box.dataset.serving = data.serving ? data.serving.version : "";
      box.dataset.training = t.in_progress ? "1" : "0";
      if (!data.versions.length) { box.replaceChildren(el("p", { class: "empty", text: "No model version yet." })); return data; }
      const head = ["version", "model", "events", "users", "items", "fit", "metrics", "created"];
      box.replaceChildren(el("div", { class: "table-scroll" }, el("table", { class: "models" },
        el("thead", {}, el("tr", {}, head.map(h => el("th", { text: h })))),
        el("tbody", {}, data.versions.map(v => el("tr", { class: v.serving ? "serving" : "", "data-version": v.version, "data-model": v.model },
          el("td", {}, `v${v.version}`, v.serving ? el("span", { class: "badge model", text: "serving" }) : null),
          el("td", { text: v.model }),
          el("td", { class: "num", text: v.events }), el("td", { class: "num", text: v.users }), el("td", { class: "num", text: v.items }),
          el("td", { class: "num", text: `${v.fit_seconds.toFixed(2)} s` }),
          el("td", {}, Object.keys(v.metrics).length
            ? Object.entries(v.metrics).sort().map(([k, x]) => el("span", { class: "metric", text: `${k} ${Number.isInteger(x) ? x : x.toFixed(4)}` }))
            : el("span", { class: "muted", text: "not evaluated" })),
          el("td", { text: new Date(v.created_at * 1000).toLocaleString() })))))));
      return data;
    }

    async function retrain() {
      const button = $("#retrain");
      button.disabled = true;
      try {
        let target = null;
        try {
          target = (await api("POST", "/v1/models/train")).version;
          showInfo(`Training version ${target} in the background…`);
        } catch (e) {
          if (e.status !== 409) throw e;
          showError(e);   // 409: a training is already running; wait for it
        }
        const deadline = Date.now() + 15 * 60 * 1000;
        while (Date.now() < deadline) {
          await sleep(1000);
          const data = await loadModels();
          const serving = data.serving ? data.serving.version : 0;
          if (target !== null && serving >= target) { showInfo(`Version ${serving} is serving.`); break; }
          if (!data.training.in_progress) {
            if (target === null) break;
            if (data.training.last_error) { showError(`Training version ${target} failed: ${data.training.last_error}`); break; }
          }
        }
        await refresh();
      } finally { button.disabled = false; }
    }

    """#
}
