extension WebPage {
    /// The JavaScript shared by the page and the dashboard: `$`, `el`, `svg`, messages
    /// (`showError`, `showInfo`, `guard`), and `api()`, which sends `X-API-Key` when one is set
    /// and turns an error response (`{"error", "status"}`) into a message in `#messages`.
    static let commonScript = #"""
    "use strict";
    const $ = (selector, root = document) => root.querySelector(selector);
    const enc = encodeURIComponent;
    const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
    const state = { user: null, focusItem: null, cart: [], previous: {}, items: new Map(), tokens: {}, busy: 0,
                    history: [], historyNext: null, search: { text: "", next: null }, membership: {} };

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

    // ---- inline SVG ----
    const SVG_NS = "http://www.w3.org/2000/svg";
    const COLORS = ["#3558d8", "#d9480f", "#2b8a3e", "#862e9c", "#0b7285", "#c92a2a"];
    function svg(tag, attrs = {}, ...children) {
      const node = document.createElementNS(SVG_NS, tag);
      for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
      for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
      return node;
    }

    """#
}
