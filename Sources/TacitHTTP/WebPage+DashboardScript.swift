extension WebPage {
    /// The dashboard's script: one `GET /v1/stats/overview` (range from `#span`, or from the
    /// page URL's `bucket`, `since` and `until`), drawn as inline SVG charts sized to their
    /// container (redrawn on resize). Uses `api`, `el`, `svg` and `guard` from ``commonScript``.
    static let dashboardScript = #"""
    // ---- dashboard ----
    const KIND_COLORS = { view: "#9db1f2", click: "#3558d8", add_to_cart: "#e8890c", purchase: "#2b8a3e", rating: "#862e9c" };
    const kindColor = (kind, i) => KIND_COLORS[kind] || COLORS[(i + 3) % COLORS.length];
    const dash = { data: null, width: 0 };
    const fmtInt = n => Number(n).toLocaleString("en-US");
    const fmtSeconds = s => s === null || s === undefined ? "–" : s === 0 ? "0" : s < 0.01 ? `${(1000 * s).toFixed(1)} ms` : `${(1000 * s).toFixed(0)} ms`;
    const fmtMetric = x => x === 0 ? "0" : x >= 0.1 ? x.toFixed(2) : x.toFixed(3);
    const utc = t => new Date(t * 1000).toISOString();
    const timeLabel = (t, bucket) => bucket === "day" ? utc(t).slice(5, 10) : `${utc(t).slice(5, 10)} ${utc(t).slice(11, 16)}`;

    // A round upper bound for an axis: 1, 2 or 5 times a power of ten.
    function niceMax(v) {
      if (!(v > 0)) return 1;
      const p = Math.pow(10, Math.floor(Math.log10(v)));
      for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
      return 10 * p;
    }

    // An empty chart: horizontal grid lines with labels, an x axis; `y(v)` maps a value.
    function frame(id, width, yMax, yFormat, height = 210) {
      const left = 52, right = 12, top = 12, bottom = 30;
      const y = v => top + (height - top - bottom) * (1 - v / yMax);
      const node = svg("svg", { id, viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
      for (const t of [0, 0.5, 1]) {
        node.append(svg("line", { class: t ? "grid" : "axis", x1: left, x2: width - right, y1: y(t * yMax), y2: y(t * yMax) }),
          svg("text", { x: left - 6, y: y(t * yMax) + 4, "text-anchor": "end" }, yFormat(t * yMax)));
      }
      return { node, left, right: width - right, top, bottom: height - bottom, height, y };
    }
    function xLabels(f, count, x, label) {
      const at = count <= 1 ? [0] : count <= 4 ? [...Array(count).keys()] : [0, Math.floor((count - 1) / 2), count - 1];
      for (const i of at) {
        const anchor = count > 1 && i === 0 ? "start" : count > 1 && i === count - 1 ? "end" : "middle";
        f.node.append(svg("text", { x: x(i), y: f.height - 10, "text-anchor": anchor }, label(i)));
      }
    }
    function note(f, text) {
      f.node.append(svg("text", { class: "empty-note", x: (f.left + f.right) / 2, y: (f.top + f.bottom) / 2, "text-anchor": "middle" }, text));
    }
    function legend(id, entries) {
      $(id).replaceChildren(...entries.map(([name, color]) => el("span", {}, el("span", { class: "swatch", style: `background:${color}` }), name)));
    }

    // Stacked bars: a rect.bar per bucket and kind with events.
    function eventsChart(data, width) {
      const n = data.activity.length, max = niceMax(Math.max(1, ...data.activity.map(a => a.events)));
      const f = frame("chart-events", width, max, fmtInt);
      const band = (f.right - f.left) / Math.max(1, n), barWidth = Math.max(1, Math.min(28, band * 0.8));
      const x = i => f.left + band * (i + 0.5);
      data.activity.forEach((a, i) => {
        const g = svg("g", { class: "bucket", "data-start": a.start });
        let below = 0;
        data.kinds.forEach((kind, k) => {
          const c = a.kinds[kind] || 0;
          if (!c) return;
          g.append(svg("rect", { class: "bar", "data-kind": kind, x: x(i) - barWidth / 2, y: f.y(below + c), width: barWidth,
            height: Math.max(0.5, f.y(below) - f.y(below + c)), fill: kindColor(kind, k) },
            svg("title", {}, `${timeLabel(a.start, data.bucket)} UTC: ${fmtInt(c)} ${kind}`)));
          below += c;
        });
        f.node.append(g);
      });
      xLabels(f, n, x, i => timeLabel(data.activity[i].start, data.bucket));
      if (!data.kinds.length) note(f, "no events in this range");
      legend("#events-legend", data.kinds.map((kind, k) => [kind, kindColor(kind, k)]));
      return f.node;
    }

    // Lines over a shared x axis: a path.series per series and a circle.point per value (nulls are gaps).
    function lineChart(id, width, count, series, yFormat, xLabel, yMax) {
      const values = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
      const f = frame(id, width, yMax || niceMax(Math.max(0, ...values)), yFormat);
      const x = i => count < 2 ? (f.left + f.right) / 2 : f.left + (f.right - f.left) * i / (count - 1);
      for (const s of series) {
        let d = "", pen = "M";
        s.values.forEach((v, i) => {
          if (v === null || v === undefined) { pen = "M"; return; }
          d += `${pen}${x(i).toFixed(1)},${f.y(v).toFixed(1)} `;
          pen = "L";
        });
        if (d) f.node.append(svg("path", { class: "series", d: d.trim(), stroke: s.color, "data-series": s.name }));
        s.values.forEach((v, i) => {
          if (v === null || v === undefined) return;
          f.node.append(svg("circle", { class: "point", cx: x(i), cy: f.y(v), r: count > 60 ? 1.5 : 3, fill: s.color, "data-series": s.name },
            svg("title", {}, `${s.name} · ${xLabel(i)}: ${yFormat(v)}`)));
        });
      }
      if (count) xLabels(f, count, x, xLabel);
      if (!values.length) note(f, "nothing to draw yet");
      return f.node;
    }

    function usersChart(data, width) {
      return lineChart("chart-users", width, data.activity.length,
        [{ name: "active users", color: COLORS[0], values: data.activity.map(a => a.users) }],
        fmtInt, i => timeLabel(data.activity[i].start, data.bucket));
    }

    // Holdout NDCG and hit rate (or every metric when neither is stored) per (model, metric), across versions.
    function modelsChart(data, width) {
      const versions = data.models.filter(v => Object.keys(v.metrics).some(m => m !== "holdout_users"));
      const names = [...new Set(versions.flatMap(v => Object.keys(v.metrics)))].filter(m => m !== "holdout_users").sort();
      const preferred = names.filter(m => /^(ndcg|hr|hit)/i.test(m));
      const metrics = preferred.length ? preferred : names;
      const models = [...new Set(versions.map(v => v.model))];
      const series = models.flatMap(model => metrics.map(metric => ({ model, metric })))
        .filter(s => versions.some(v => v.model === s.model && Number.isFinite(v.metrics[s.metric])))
        .map((s, k) => ({ name: models.length > 1 ? `${s.model} ${s.metric}` : s.metric, color: COLORS[k % COLORS.length],
          values: versions.map(v => v.model === s.model && Number.isFinite(v.metrics[s.metric]) ? v.metrics[s.metric] : null) }));
      legend("#models-legend", series.map(s => [s.name, s.color]));
      const max = Math.min(1, niceMax(Math.max(0.01, ...series.flatMap(s => s.values).filter(v => v !== null))));
      const node = lineChart("chart-models", width, versions.length, series, fmtMetric, i => `${versions[i].model} v${versions[i].version}`, max);
      if (!versions.length) {
        node.querySelector(".empty-note").textContent = data.models.length ? "no version has holdout metrics (training.evaluate is off)" : "no model version yet";
      }
      return node;
    }

    // The background search: each trial's holdout metric in order (one series per model when it
    // chooses among several), the best so far, the configured model's value.
    function searchChart(data, width) {
      const s = data.search, trials = s ? s.trials : [];
      $("#search-panel").hidden = !s;
      if (!s) return svg("svg", { id: "chart-search" });
      const models = s.models && s.models.length ? s.models : [s.model];
      const serving = s.adopted_model && s.adopted_model !== s.model ? `${s.adopted_model} ` : "";
      const state = s.phase === "finished" ? (s.applied_version ? `finished · serving ${serving}v${s.applied_version} with the best parameters` : `finished · the configured ${s.model} stays`)
        : s.phase === "failed" ? `failed: ${s.error || ""}` : s.phase === "running" ? "running" : "waiting for the first model";
      $(".caption[data-for=search]").textContent = `${s.metric} on ${fmtInt(s.holdout_users)} holdout users · ${models.join(", ")} · ${trials.length} trials · ${Math.round(s.spent_seconds)} of ${Math.round(s.budget_seconds)} s · ${state}`;
      let best = null;
      const bestSoFar = trials.map(t => (t.value !== null && (best === null || t.value > best) ? (best = t.value) : best));
      const base = s.baseline && s.baseline.value !== null ? s.baseline.value : null;
      // Every colour but the best-so-far line's, then a few more: `auto` searches up to eight models.
      const MODEL_COLORS = [COLORS[0], COLORS[2], COLORS[3], COLORS[4], COLORS[5], "#e67700", "#5f3dc4", "#a61e4d"];
      const perTrial = models.length > 1
        ? models.map((m, k) => ({ name: m, color: MODEL_COLORS[k % MODEL_COLORS.length], values: trials.map(t => (t.model === m ? t.value : null)) }))
        : [{ name: "trial", color: COLORS[0], values: trials.map(t => t.value) }];
      const series = [...perTrial,
                      { name: "best so far", color: COLORS[1], values: bestSoFar },
                      { name: s.models && s.models.length > 1 ? `configured ${s.model}` : "configured", color: "#868e96", values: trials.map(() => base) }];
      legend("#search-legend", series.map(x => [x.name, x.color]));
      const max = Math.min(1, niceMax(Math.max(0.01, ...trials.map(t => t.value).filter(v => v !== null))));
      const node = lineChart("chart-search", width, trials.length, series, fmtMetric,
        i => `trial ${trials[i].index} · ${Math.round(trials[i].finished_at - trials[0].finished_at + trials[0].seconds)} s`, max);
      const faint = new Set(perTrial.map(x => x.name));
      node.querySelectorAll("path.series").forEach(p => { if (faint.has(p.getAttribute("data-series"))) p.setAttribute("stroke-opacity", "0.25"); });
      return node;
    }

    // Requests per minute as bars (rect.bar per minute with requests), the 5xx part in red.
    function requestsChart(data, width) {
      const minutes = data.requests.minutes, max = niceMax(Math.max(1, ...minutes.map(m => m.requests)));
      const f = frame("chart-requests", width, max, fmtInt);
      const band = (f.right - f.left) / Math.max(1, minutes.length), barWidth = Math.max(1, band * 0.75);
      const x = i => f.left + band * (i + 0.5);
      minutes.forEach((m, i) => {
        if (!m.requests) return;
        f.node.append(svg("rect", { class: "bar", x: x(i) - barWidth / 2, y: f.y(m.requests), width: barWidth, height: f.y(0) - f.y(m.requests), fill: COLORS[0] },
          svg("title", {}, `${timeLabel(m.start, "hour")} UTC: ${m.requests} requests, ${m.errors} 5xx, ${m.client_errors} 4xx`)));
        if (m.errors) f.node.append(svg("rect", { class: "errors", x: x(i) - barWidth / 2, y: f.y(m.errors), width: barWidth, height: f.y(0) - f.y(m.errors), fill: "#c92a2a" }));
      });
      xLabels(f, minutes.length, x, i => utc(minutes[i].start).slice(11, 16));
      return f.node;
    }

    function latencyChart(data, width) {
      const minutes = data.requests.minutes;
      const series = [{ name: "p95", color: COLORS[1], values: minutes.map(m => m.p95_seconds) },
                      { name: "mean", color: COLORS[0], values: minutes.map(m => m.mean_seconds) }];
      legend("#latency-legend", series.map(s => [s.name, s.color]));
      return lineChart("chart-latency", width, minutes.length, series, fmtSeconds, i => utc(minutes[i].start).slice(11, 16));
    }

    function totals(data) {
      const serving = data.models.filter(v => v.serving).map(v => `${v.model} v${v.version}`);
      const cards = [["events", "events stored", fmtInt(data.totals.events)], ["range", "events in range", fmtInt(data.totals.events_in_range)],
        ["users", "users with events", fmtInt(data.totals.users)], ["items", "catalogue items", fmtInt(data.totals.catalog_items)],
        ["metadata", "items with metadata", fmtInt(data.totals.items)], ["models", "model versions", fmtInt(data.models.length)],
        ["serving", "serving", serving.join(", ") || "none"]];
      $("#totals").replaceChildren(...cards.map(([key, label, value]) =>
        el("div", { class: "card", "data-total": key }, el("div", { class: "value", text: value }), el("div", { class: "label", text: label }))));
    }

    function routes(data) {
      const head = ["route", "method", "requests", "5xx", "4xx", "mean", "p95"];
      $("#routes").replaceChildren(el("table", { class: "models" },
        el("thead", {}, el("tr", {}, head.map(h => el("th", { text: h })))),
        el("tbody", {}, data.requests.routes.slice(0, 15).map(r => el("tr", { "data-route": r.route, "data-method": r.method },
          el("td", { text: r.route }), el("td", { text: r.method }), el("td", { class: "num", text: fmtInt(r.requests) }),
          el("td", { class: "num", text: fmtInt(r.errors) }), el("td", { class: "num", text: fmtInt(r.client_errors) }),
          el("td", { class: "num", text: fmtSeconds(r.mean_seconds) }), el("td", { class: "num", text: fmtSeconds(r.p95_seconds) }))))));
    }

    function draw() {
      const data = dash.data;
      if (!data) return;
      const charts = { events: eventsChart, users: usersChart, models: modelsChart, search: searchChart, requests: requestsChart, latency: latencyChart };
      // Shown before the charts are measured: a hidden panel is 0 px wide.
      $("#search-panel").hidden = !data.search;
      for (const [name, chart] of Object.entries(charts)) {
        const box = document.querySelector(`.chart[data-chart="${name}"]`);
        box.replaceChildren(chart(data, Math.max(280, Math.floor(box.clientWidth))));
      }
      dash.width = window.innerWidth;
    }

    // The overview's query: the URL's bucket/since/until when given (links and tests), else #span.
    function overviewQuery() {
      const url = new URLSearchParams(location.search), params = new URLSearchParams();
      if (url.get("bucket") || url.get("since") || url.get("until")) {
        for (const name of ["bucket", "since", "until"]) if (url.get(name)) params.set(name, url.get(name));
        $("#span").value = "link";
        return params;
      }
      const [bucket, count] = $("#span").value.split(":");
      const width = bucket === "day" ? 86400 : 3600, now = Math.floor(Date.now() / 1000);
      params.set("bucket", bucket);
      params.set("since", String(Math.max(0, now - (Number(count) - 1) * width)));
      return params;
    }

    async function loadOverview() {
      const current = latest("overview");
      const data = await api("GET", `/v1/stats/overview?${overviewQuery()}`);
      if (!current()) return;
      dash.data = data;
      $("#dashboard-range").textContent = `${timeLabel(data.since, data.bucket)} – ${timeLabel(data.until, data.bucket)} UTC · ${data.activity.length} ${data.bucket}s`;
      for (const c of document.querySelectorAll(".caption[data-for=events], .caption[data-for=users]")) c.textContent = `per ${data.bucket} (UTC)`;
      totals(data);
      routes(data);
      draw();
      document.body.dataset.loaded = "1";
    }

    document.addEventListener("DOMContentLoaded", () => {
      const key = $("#api-key");
      key.value = localStorage.getItem("tacit.apiKey") || "";
      key.addEventListener("change", () => { localStorage.setItem("tacit.apiKey", key.value.trim()); guard(loadOverview()); });
      $("#span").addEventListener("change", () => {
        if (location.search) history.replaceState(null, "", location.pathname);
        guard(loadOverview());
      });
      $("#refresh-dashboard").addEventListener("click", () => guard(loadOverview()));
      let pending = null;
      window.addEventListener("resize", () => {
        clearTimeout(pending);
        pending = setTimeout(() => { if (window.innerWidth !== dash.width) draw(); }, 150);
      });
      guard(loadOverview());
    });

    """#
}
