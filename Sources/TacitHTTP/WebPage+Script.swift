extension WebPage {
    /// The page's JavaScript after ``commonScript``: items, the user's history (paged), scenes,
    /// search (paged), events and the wiring.
    static let script = #"""
    const ACTIONS = [["view", "view"], ["add_to_cart", "add to cart"], ["purchase", "buy"]];
    const SCENES = ["home", "product", "cart"];
    const HISTORY_PAGE = 50, SEARCH_PAGE = 20;

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
    // The history is newest first in time (the API pages by offset from the newest); a reload
    // keeps as many events as the pages shown so far.
    async function loadHistory() {
      const user = state.user, current = latest("history");
      const limit = Math.max(HISTORY_PAGE, state.history.length);
      const data = await api("GET", `/v1/users/${enc(user)}/events?limit=${limit}`);
      const events = data.events.slice().reverse();   // the API answers each page oldest first
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
      state.history = events;
      state.historyNext = data.next_offset;
      $("#history").replaceChildren(...events.map((e, i) => historyRow(e, titles[i], before !== undefined && !before.includes(e.sequence))));
      if (!events.length) $("#history").append(el("li", { class: "empty", text: `No events for ${user} yet: send one from any card.` }));
      state.previous.history = events.map(e => e.sequence);
      showHistoryCount();
    }
    function historyRow(e, title, isNew) {
      return el("li", { class: "event" + (isNew ? " new" : ""), "data-item-id": e.item_id, "data-kind": e.kind, "data-sequence": e.sequence,
                        "data-timestamp": e.timestamp },
        el("span", { class: `badge kind kind-${e.kind}`, text: e.kind.replace(/_/g, " ") }),
        el("span", { class: "what", text: title, title: e.item_id }),
        el("span", { class: "when", text: new Date(e.timestamp * 1000).toLocaleString() + " · " + e.item_id +
                                          (e.recommendation_id ? " · from a recommendation" : "") }));
    }
    function showHistoryCount() {
      $("#history-count").textContent = state.user ? `newest first · ${state.history.length} shown` : "newest first";
      $("#history-more").hidden = state.historyNext === null || state.historyNext === undefined;
    }
    // The next (older) page of the history, appended below.
    async function moreHistory() {
      const user = state.user, offset = state.historyNext, current = latest("history");
      if (!user || offset === null || offset === undefined) return;
      const data = await api("GET", `/v1/users/${enc(user)}/events?limit=${HISTORY_PAGE}&offset=${offset}`);
      const events = data.events.slice().reverse();
      const titles = await Promise.all(events.map(e => titleOf(e.item_id)));
      if (!current() || user !== state.user) return;
      state.history.push(...events);
      state.historyNext = data.next_offset;
      $("#history").append(...events.map((e, i) => historyRow(e, titles[i], false)));
      state.previous.history = state.history.map(e => e.sequence);
      showHistoryCount();
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
      state.membership[scene] = { experiment: response.experiment, variant: response.variant };
      if (typeof showMembership === "function") showMembership();
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
      if (id !== state.user) {
        state.focusItem = null; state.cart = []; state.previous = {}; state.history = []; state.historyNext = null; state.membership = {};
      }
      state.user = id;
      $("#user-input").value = id;
      $("#current-user").replaceChildren("showing ", el("b", { text: id }));
      localStorage.setItem("tacit.user", id);
      const url = new URL(location.href);
      url.searchParams.set("user", id);
      history.replaceState(null, "", url);
      return refresh();
    }

    // A user drawn by the server among those with events (GET /v1/users), whatever their ids look like.
    async function randomUser() {
      const data = await api("GET", "/v1/users?count=1");
      if (!data.users.length) { showError("No user has events yet: type a user id and send an event from any card."); return; }
      return selectUser(data.users[0]);
    }
    // Fills the user suggestions with users that have events; keeps the built-in ones when the
    // server cannot list users (an API key is needed, or the ids are pseudonymized).
    async function loadUserExamples() {
      try {
        const data = await api("GET", "/v1/users?count=8");
        if (data.users.length) $("#user-examples").replaceChildren(...data.users.sort().map(id => el("option", { value: id })));
      } catch (e) { /* the suggestions are optional */ }
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
      const data = await api("GET", `/v1/items?search=${enc(text)}&limit=${SEARCH_PAGE}`);
      if (!current()) return;
      data.items.forEach(remember);
      state.search = { text, next: data.next_after };
      renderItems($("#search-results"), "search:" + text, data.items, { empty: `No item matches "${text}".` });
      $("#search-more").hidden = !data.next_after;
    }
    // The next page of the same search, appended (the API pages by the last id shown).
    async function moreSearch() {
      const { text, next } = state.search, current = latest("search");
      if (!next) return;
      const data = await api("GET", `/v1/items?search=${enc(text)}&limit=${SEARCH_PAGE}&after=${enc(next)}`);
      if (!current()) return;
      data.items.forEach(remember);
      state.search = { text, next: data.next_after };
      $("#search-results").append(...data.items.map(item => itemCard(item)));
      $("#search-more").hidden = !data.next_after;
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
      $("#search-more").addEventListener("click", () => guard(moreSearch()));
      $("#history-more").addEventListener("click", () => guard(moreHistory()));
      $("#retrain").addEventListener("click", () => guard(retrain()));
      $("#refresh-models").addEventListener("click", () => guard(loadModels()));
      const initial = new URLSearchParams(location.search).get("user") || localStorage.getItem("tacit.user");
      if (initial) { $("#user-input").value = initial; guard(selectUser(initial)); } else guard(refresh());
      guard(loadModels());
      loadUserExamples();
    });

    """#
}
