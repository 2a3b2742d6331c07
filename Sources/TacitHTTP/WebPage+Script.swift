extension WebPage {
    /// The page's JavaScript: every call goes through `api()`, which sends `X-API-Key` when one is
    /// set and turns an error response (`{"error", "status"}`) into a message in `#messages`.
    static let script = #"""
    "use strict";
    const $ = (selector, root = document) => root.querySelector(selector);
    const enc = encodeURIComponent;
    const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
    const ACTIONS = [["view", "view"], ["add_to_cart", "add to cart"], ["purchase", "buy"]];
    const SCENES = ["home", "product", "cart"];
    const state = { user: null, focusItem: null, cart: [], previous: {}, items: new Map(), tokens: {}, busy: 0 };

    function el(tag, attrs = {}, ...children) {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      }
      for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
      return node;
    }

    // ---- messages ----
    function showMessage(kind, text) {
      const box = $("#messages");
      const node = el("div", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, el("span", { text }));
      node.append(el("button", { type: "button", title: "dismiss", onclick: () => node.remove() }, "\u00d7"));
      box.prepend(node);
      while (box.children.length > 6) box.lastChild.remove();
      if (kind === "info") setTimeout(() => node.remove(), 4000);
    }
    function showError(error) {
      const text = error instanceof Error ? error.message : String(error);
      console.error(text);
      showMessage("error", text);
    }
    const showInfo = text => showMessage("info", text);
    // Runs an async action; a failure is shown, never swallowed.
    const guard = promise => Promise.resolve(promise).catch(showError);

    // ---- the API ----
    class APIError extends Error { constructor(status, message) { super(message); this.status = status; } }
    async function api(method, path, body) {
      const headers = { "Accept": "application/json" };
      const key = $("#api-key").value.trim();
      if (key) headers["X-API-Key"] = key;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      setBusy(+1);
      try {
        let response;
        try {
          response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        } catch (e) {
          throw new APIError(0, `${method} ${path}: the server did not answer (${e.message})`);
        }
        const text = await response.text();
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!response.ok) {
          const message = json && json.error ? json.error : (text || response.statusText);
          throw new APIError(response.status, `${method} ${path}: ${response.status} ${message}`);
        }
        return json;
      } finally { setBusy(-1); }
    }
    function setBusy(delta) { state.busy += delta; document.body.dataset.busy = String(state.busy); }
    // Only the newest call per key may render (an older, slower answer is dropped).
    function latest(key) { const token = (state.tokens[key] || 0) + 1; state.tokens[key] = token; return () => state.tokens[key] === token; }

    // ---- items: metadata cache and cards ----
    function remember(item) {
      if (item && item.item_id && item.title !== undefined && !state.items.has(item.item_id)) state.items.set(item.item_id, Promise.resolve(item));
    }
    function itemInfo(id) {
      if (!state.items.has(id)) {
        state.items.set(id, api("GET", `/v1/items/${enc(id)}`).catch(e => {
          if (e.status === 404) return { item_id: id };   // an item with events but no metadata: show its id
          state.items.delete(id);
          throw e;
        }));
      }
      return state.items.get(id);
    }
    const titleOf = async id => { try { return (await itemInfo(id)).title || id; } catch (e) { return id; } };
    const formatPrice = p => (typeof p === "number" ? p.toFixed(2) : "");

    function itemCard(item, options = {}) {
      const id = item.item_id;
      const card = el("div", { class: "item", "data-item-id": id, "data-source": item.source },
        el("div", { class: "item-head" },
          el("span", { class: "title", text: item.title || id, title: id }),
          item.source ? el("span", { class: `badge source source-${item.source}`, text: item.source }) : null),
        el("div", { class: "meta-line" },
          el("span", { class: "category", text: item.category || "no category" }),
          el("span", { class: "price", text: formatPrice(item.price) }),
          el("span", { class: "id", text: id })),
        item.explanation ? el("div", { class: "explanation", text: item.explanation }) : null,
        item.available === false ? el("div", { class: "unavailable", text: "not available" }) : null,
        el("div", { class: "actions" }, ACTIONS.map(([kind, label]) =>
          el("button", { type: "button", "data-action": kind, "data-item-id": id,
                         onclick: () => guard(sendEvent(id, kind, options.recommendationId)) }, label))));
      if (options.isNew) card.classList.add("new");
      if (id === state.focusItem) card.classList.add("focus");
      return card;
    }
    // Renders a list of items; items absent from this list's previous load are marked new.
    function renderItems(container, key, items, options = {}) {
      const before = state.previous[key];
      const cards = items.map(item => itemCard(item, { ...options, isNew: before !== undefined && !before.includes(item.item_id) }));
      container.replaceChildren(...cards);
      if (!items.length) container.append(el("p", { class: "empty", text: options.empty || "No items." }));
      state.previous[key] = items.map(item => item.item_id);
    }

    // ---- user: history and recommendations ----
    async function loadHistory() {
      const user = state.user, current = latest("history");
      const data = await api("GET", `/v1/users/${enc(user)}/events?limit=50`);
      const events = data.events.slice().reverse();   // the API answers oldest first
      const cart = [];
      for (const e of data.events) {
        if (e.kind === "add_to_cart" && !cart.includes(e.item_id)) cart.push(e.item_id);
        if (e.kind === "purchase") { const at = cart.indexOf(e.item_id); if (at >= 0) cart.splice(at, 1); }
      }
      const titles = await Promise.all(events.map(e => titleOf(e.item_id)));
      if (!current() || user !== state.user) return;
      state.cart = cart;
      if (!state.focusItem && events.length) state.focusItem = events[0].item_id;
      const before = state.previous.history;
      const list = $("#history");
      list.replaceChildren(...events.map((e, i) => el("li", {
          class: "event" + (before !== undefined && !before.includes(e.sequence) ? " new" : ""),
          "data-item-id": e.item_id, "data-kind": e.kind, "data-sequence": e.sequence },
        el("span", { class: `badge kind kind-${e.kind}`, text: e.kind.replace(/_/g, " ") }),
        el("span", { class: "what", text: titles[i], title: e.item_id }),
        el("span", { class: "when", text: new Date(e.timestamp * 1000).toLocaleString() + " · " + e.item_id +
                                          (e.recommendation_id ? " · from a recommendation" : "") }))));
      if (!events.length) list.append(el("li", { class: "empty", text: `No events for ${user} yet: send one from any card.` }));
      state.previous.history = events.map(e => e.sequence);
    }

    async function loadScene(scene) {
      const section = $(`#recs-${scene}`), list = $(".items", section), meta = $(".meta", section), context = $(".context", section);
      const user = state.user, current = latest(`scene-${scene}`);
      const params = new URLSearchParams({ scene, count: "12" });
      if (scene === "product") {
        if (!state.focusItem) {
          context.textContent = "";
          meta.replaceChildren();
          list.replaceChildren(el("p", { class: "empty", text: "View an item to see its product page." }));
          delete state.previous.product;
          return;
        }
        params.append("item", state.focusItem);
        context.textContent = `for ${await titleOf(state.focusItem)} (${state.focusItem})`;
      }
      if (scene === "cart") {
        for (const id of state.cart) params.append("item", id);
        context.textContent = state.cart.length ? `cart: ${state.cart.join(", ")}` : "cart is empty (add to cart from any card)";
      }
      const response = await api("GET", `/v1/users/${enc(user)}/recommendations?${params}`);
      if (!current() || user !== state.user) return;
      response.items.forEach(remember);
      meta.replaceChildren(
        el("span", { class: "badge " + (response.model ? "model" : "fallback"), "data-model": response.model || "fallback",
                     text: response.model || "fallback", title: response.model ? "the model version behind the personal or similar items"
                       : "no model part in this response: only fallback and non-personal sources served" }),
        el("span", {}, "recommendation ", el("code", { class: "recommendation-id", text: response.recommendation_id })));
      section.dataset.recommendationId = response.recommendation_id;
      renderItems(list, scene, response.items, { recommendationId: response.recommendation_id, empty: "No recommendations." });
    }

    async function loadTop(kind) {
      const current = latest(kind);
      const data = await api("GET", `/v1/${kind}?count=8`);
      if (!current()) return;
      data.items.forEach(remember);
      renderItems($(`#${kind}`), kind, data.items, { empty: `Nothing ${kind} yet.` });
    }

    async function loadStatus() {
      const ready = await api("GET", "/readyz");
      const status = $("#server-status");
      const variants = (ready.variant_models || []).map(v => v.serving || `${v.model} (not trained yet)`);
      status.textContent = `${ready.store} · ${ready.events} events · ${ready.users} users · ${ready.items} items · model ${ready.model || "none"}` +
        (variants.length ? ` · variant models ${variants.join(", ")}` : "");
      status.title = status.textContent;
      return ready;
    }

    // Reloads everything that depends on the user; a failing part is reported, the others still load.
    async function refresh() {
      const tasks = [loadTop("popular"), loadTop("trending"), loadStatus()];
      if (state.user) {
        await guard(loadHistory());
        tasks.push(...SCENES.map(loadScene));
      }
      await Promise.all(tasks.map(guard));
    }

    function selectUser(id) {
      id = id.trim();
      if (!id) { showError("Type a user id first (for example u0)."); return Promise.resolve(); }
      if (id !== state.user) { state.focusItem = null; state.cart = []; state.previous = {}; }
      state.user = id;
      $("#user-input").value = id;
      $("#current-user").replaceChildren("showing ", el("b", { text: id }));
      localStorage.setItem("tacit.user", id);
      const url = new URL(location.href);
      url.searchParams.set("user", id);
      history.replaceState(null, "", url);
      return refresh();
    }

    async function randomUser() {
      const ready = await loadStatus();
      const n = ready.users || 0;
      for (let attempt = 0; attempt < 5 && n > 0; attempt++) {   // the generated shop: users u0 … u(N-1)
        const id = `u${Math.floor(Math.random() * n)}`;
        if ((await api("GET", `/v1/users/${enc(id)}/events?limit=1`)).events.length) return selectUser(id);
      }
      const examples = [...document.querySelectorAll("#user-examples option")].map(o => o.value).sort(() => Math.random() - 0.5);
      for (const id of examples) {
        if ((await api("GET", `/v1/users/${enc(id)}/events?limit=1`)).events.length) return selectUser(id);
      }
      showError("Found no user with events among u0…u(N-1) and the examples: type a user id.");
    }

    async function sendEvent(itemId, kind, recommendationId) {
      if (!state.user) { showError("Load a user first: events are sent as that user."); return; }
      const body = { user_id: state.user, item_id: itemId, kind };
      if (recommendationId) body.recommendation_id = recommendationId;
      await api("POST", "/v1/events", body);
      state.focusItem = itemId;
      showInfo(`${state.user}: ${kind.replace(/_/g, " ")} ${await titleOf(itemId)}`);
      await refresh();
    }

    async function search() {
      const text = $("#search-input").value.trim(), current = latest("search");
      const data = await api("GET", `/v1/items?search=${enc(text)}&limit=20`);
      if (!current()) return;
      data.items.forEach(remember);
      renderItems($("#search-results"), "search:" + text, data.items, { empty: `No item matches "${text}".` });
    }

    // ---- wiring ----
    document.addEventListener("DOMContentLoaded", () => {
      const key = $("#api-key");
      key.value = localStorage.getItem("tacit.apiKey") || "";
      const applyKey = () => { localStorage.setItem("tacit.apiKey", key.value.trim()); guard(loadModels()); guard(refresh()); };
      key.addEventListener("change", applyKey);
      key.addEventListener("keydown", event => { if (event.key === "Enter") { event.preventDefault(); applyKey(); } });
      $("#user-form").addEventListener("submit", event => { event.preventDefault(); guard(selectUser($("#user-input").value)); });
      $("#random-user").addEventListener("click", () => guard(randomUser()));
      $("#search-form").addEventListener("submit", event => { event.preventDefault(); guard(search()); });
      $("#retrain").addEventListener("click", () => guard(retrain()));
      $("#refresh-models").addEventListener("click", () => guard(loadModels()));
      const initial = new URLSearchParams(location.search).get("user") || localStorage.getItem("tacit.user");
      if (initial) { $("#user-input").value = initial; guard(selectUser(initial)); } else guard(refresh());
      guard(loadModels());
    });

    """#
}
