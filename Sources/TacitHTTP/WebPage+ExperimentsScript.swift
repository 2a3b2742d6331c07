extension WebPage {
    /// The experiments section's script: lists `GET /v1/experiments`, renders the selected one's
    /// `GET /v1/experiments/{id}/report` as tables, plain-words verdicts and two inline SVG charts
    /// (conversion with its interval per variant; cumulative conversion per UTC day). Uses `api`,
    /// `el`, `latest` and `guard` from `script`; errors go to `#messages` through `guard`.
    static let experimentsScript = #"""
    // ---- experiments ----
    const experiments = { list: [], chosen: false };
    const pct = x => Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–";
    const money = x => Number.isFinite(x) ? x.toFixed(2) : "–";
    const withInterval = (e, f) => `${f(e.value)} [${f(e.lower)}, ${f(e.upper)}]`;
    const pValue = p => !Number.isFinite(p) ? "–" : p < 0.001 ? "< 0.001" : p.toFixed(3);
    const signed = x => !Number.isFinite(x) ? "–" : `${x >= 0 ? "+" : "−"}${(100 * Math.abs(x)).toFixed(1)}%`;

    // Opens on a running experiment (the loaded user's, else the first running one) unless one
    // was picked by hand; says plainly when none runs.
    async function loadExperiments() {
      const data = await api("GET", "/v1/experiments"), select = $("#experiment-select"), previous = select.value;
      experiments.list = data.experiments;
      select.replaceChildren(...data.experiments.map(x =>
        el("option", { value: x.definition.id, text: x.definition.id + (x.running ? " (running)" : " (not running)") })));
      select.hidden = !data.experiments.length;
      if (!data.experiments.length) {
        $("#experiment-status").textContent = "";
        $("#experiments").replaceChildren(el("p", { class: "empty", text: "No experiment configured (see docs/experiments.md)." }));
        showMembership();
        return;
      }
      const running = data.experiments.filter(x => x.running).map(x => x.definition.id);
      const mine = userExperiment();
      const keep = experiments.chosen && data.experiments.some(x => x.definition.id === previous);
      select.value = keep ? previous : mine && running.includes(mine.experiment) ? mine.experiment : running[0] || data.experiments[0].definition.id;
      const none = $("#experiment-none-running");
      none.hidden = running.length > 0;
      none.textContent = running.length ? "" : `No experiment is running now: ${data.experiments.length === 1 ? "the one configured has" : `all ${data.experiments.length} configured have`} stopped or not started yet. Their reports stay readable below.`;
      showMembership();
      await loadReport();
    }

    // The experiment and variant of the loaded user, from the scenes' last responses.
    function userExperiment() {
      for (const scene of SCENES) {
        const m = state.membership[scene];
        if (m && m.experiment) return { scene, experiment: m.experiment, variant: m.variant };
      }
      return null;
    }
    function showMembership() {
      const box = $("#experiment-membership");
      if (!experiments.list.length) { box.textContent = ""; return; }
      if (!state.user) { box.textContent = "Load a user to see the experiment and variant they are in."; return; }
      const mine = userExperiment();
      box.dataset.experiment = mine ? mine.experiment : "";
      box.dataset.variant = mine ? mine.variant : "";
      if (!mine) {
        box.textContent = Object.keys(state.membership).length ? `${state.user} is in no experiment: none runs on the ${SCENES.join(", ")} scenes, or ${state.user} is in a holdout.` : "";
      } else {
        box.replaceChildren(el("b", { text: state.user }), " is in experiment ", el("b", { class: "experiment", text: mine.experiment }),
          ", variant ", el("b", { class: "variant", text: mine.variant }), ` (as served on the ${mine.scene} scene).`);
      }
      for (const row of document.querySelectorAll("#experiment-variants tr[data-variant]")) {
        row.classList.toggle("mine", !!mine && mine.experiment === $("#experiment-select").value && row.dataset.variant === mine.variant);
      }
      const select = $("#experiment-select");
      if (mine && !experiments.chosen && select.value !== mine.experiment && experiments.list.some(x => x.definition.id === mine.experiment)) {
        select.value = mine.experiment;
        guard(loadReport());
      }
    }

    async function loadReport() {
      const id = $("#experiment-select").value, current = latest("report");
      if (!id) return;
      const info = experiments.list.find(x => x.definition.id === id);
      const report = await api("GET", `/v1/experiments/${enc(id)}/report`);
      if (!current()) return;
      const d = info ? info.definition : {}, policy = d.policy ? (d.policy.type || JSON.stringify(d.policy)) : "";
      $("#experiment-status").textContent = [info && info.running ? "running" : "not running", policy && `policy ${policy}`,
        d.control && `control ${d.control}`, `${Math.round(100 * (1 - report.alpha))}% intervals`,
        info && info.allocation ? `allocation ${info.allocation.map(pct).join(" / ")}` : null].filter(Boolean).join(" · ");
      const colors = new Map(report.variants.map((v, i) => [v.name, COLORS[i % COLORS.length]]));
      const running = !!(info && info.running);
      $("#experiments").replaceChildren(...[
        sampleRatioWarning(report), el("div", { class: "table-scroll" }, variantTable(report, colors)),
        report.comparisons.length ? el("div", { class: "table-scroll" }, comparisonTable(report, running)) : null,
        el("div", { class: "experiment-grid" },
          el("figure", {}, el("figcaption", { text: `Conversion per variant, ${Math.round(100 * (1 - report.alpha))}% interval` }),
            intervalChart(report, colors)),
          el("figure", {}, el("figcaption", { text: "Cumulative conversion per UTC day" }), seriesChart(report, colors)))
      ].filter(Boolean));
      showMembership();
    }

    function sampleRatioWarning(report) {
      const s = report.sample_ratio;
      if (!s || !s.mismatch) return null;
      return el("div", { id: "sample-ratio-warning", class: "warning", role: "alert" },
        el("b", { text: "Sample ratio mismatch: " }),
        `users per variant ${s.observed.join(" / ")} against the expected ${s.expected.map(x => x.toFixed(1)).join(" / ")} ` +
        `(p = ${pValue(s.p_value)}). The assignment or the logging is broken: do not trust the comparison until it is fixed.`);
    }

    function variantTable(report, colors) {
      const head = ["variant", "users", "impressions", "CTR", "conversion", "revenue / user"];
      return el("table", { id: "experiment-variants", class: "models" },
        el("thead", {}, el("tr", {}, head.map(h => el("th", { text: h })))),
        el("tbody", {}, report.variants.map(v => el("tr", { "data-variant": v.name },
          el("td", {}, el("span", { class: "swatch", style: `background:${colors.get(v.name)}` }), v.name),
          el("td", { class: "num users", text: v.users }), el("td", { class: "num impressions", text: v.impressions }),
          el("td", { class: "num", text: withInterval(v.ctr, pct) }),
          el("td", { class: "num", text: `${withInterval(v.conversion, pct)} (${v.converted_users})` }),
          el("td", { class: "num", text: withInterval(v.revenue_per_user, money) })))));
    }

    // One plain-words verdict per treatment, from the always-valid (sequential) p-value.
    function verdict(c, alpha, running) {
      const p = c.conversion_sequential_p_value, lift = c.conversion.relative_lift;
      if (Number.isFinite(p) && p < alpha) {
        return `${c.variant} converts ${c.conversion.difference.value >= 0 ? "better" : "worse"} than ${c.control}: ` +
          `the sequential test is conclusive (p = ${pValue(p)} < ${alpha}), so stopping now is safe.`;
      }
      const so = `sequential p = ${pValue(p)}${Number.isFinite(lift) ? `, lift ${signed(lift)}` : ""}`;
      return running ? `No conclusive difference in conversion yet (${so}): keep the experiment running.`
        : `No conclusive difference in conversion (${so}); the experiment is not running, so no more users join it.`;
    }

    function comparisonTable(report, running) {
      const head = ["variant vs control", "conversion lift", "p-value", "revenue / user lift", "p-value", "verdict"];
      return el("table", { id: "experiment-comparisons", class: "models" },
        el("thead", {}, el("tr", {}, head.map(h => el("th", { text: h })))),
        el("tbody", {}, report.comparisons.map(c => el("tr", { "data-variant": c.variant },
          el("td", { text: `${c.variant} vs ${c.control}` }),
          el("td", { class: "num", text: signed(c.conversion.relative_lift) }), el("td", { class: "num", text: pValue(c.conversion.p_value) }),
          el("td", { class: "num", text: signed(c.revenue_per_user.relative_lift) }), el("td", { class: "num", text: pValue(c.revenue_per_user.p_value) }),
          el("td", { class: "verdict", text: verdict(c, report.alpha, running) })))));
    }

    // Conversion per variant: a point at the estimate, whiskers to the interval's ends.
    function intervalChart(report, colors) {
      const W = 640, row = 30, left = 90, right = 20, top = 12, H = top + row * report.variants.length + 26;
      const ends = report.variants.flatMap(v => [v.conversion.lower, v.conversion.upper]).filter(Number.isFinite);
      const hi = Math.min(1, Math.max(0.01, ...ends) * 1.05), x = v => left + (W - left - right) * Math.max(0, Math.min(v, hi)) / hi;
      const axisY = top + row * report.variants.length + 4;
      return svg("svg", { id: "conversion-intervals", viewBox: `0 0 ${W} ${H}`, role: "img" },
        svg("line", { class: "axis", x1: left, x2: W - right, y1: axisY, y2: axisY }),
        [0, hi / 2, hi].map(t => svg("text", { x: x(t), y: axisY + 16, "text-anchor": "middle" }, pct(t))),
        report.variants.map((v, i) => {
          const y = top + row * i + row / 2, color = colors.get(v.name), e = v.conversion;
          return svg("g", { "data-variant": v.name },
            svg("text", { x: left - 8, y: y + 4, "text-anchor": "end" }, v.name),
            svg("line", { class: "whisker", x1: x(e.lower), x2: x(e.upper), y1: y, y2: y, stroke: color }),
            svg("line", { class: "whisker", x1: x(e.lower), x2: x(e.lower), y1: y - 6, y2: y + 6, stroke: color }),
            svg("line", { class: "whisker", x1: x(e.upper), x2: x(e.upper), y1: y - 6, y2: y + 6, stroke: color }),
            svg("circle", { class: "estimate", cx: x(e.value), cy: y, r: 5, fill: color },
              svg("title", {}, `${v.name}: ${withInterval(e, pct)}`)));
        }));
    }

    // Cumulative conversion per UTC day: a line per variant (days shared by all variants).
    function seriesChart(report, colors) {
      const days = report.variants.length ? report.variants[0].daily.map(p => p.day) : [];
      const W = 640, H = 220, left = 46, right = 16, top = 12, bottom = 40;
      const top1 = Math.min(1, Math.max(0.01, ...report.variants.flatMap(v => v.daily.map(p => p.conversion))) * 1.1);
      const x = i => days.length < 2 ? (left + W - right) / 2 : left + (W - left - right) * i / (days.length - 1);
      const y = v => top + (H - top - bottom) * (1 - v / top1);
      const chart = svg("svg", { id: "conversion-over-time", viewBox: `0 0 ${W} ${H}`, role: "img" },
        svg("line", { class: "axis", x1: left, x2: W - right, y1: y(0), y2: y(0) }),
        svg("line", { class: "axis", x1: left, x2: left, y1: top, y2: y(0) }),
        [0, top1 / 2, top1].map(t => svg("text", { x: left - 6, y: y(t) + 4, "text-anchor": "end" }, pct(t))));
      if (!days.length) {
        chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no timestamped impressions yet"));
        return chart;
      }
      const labels = days.length < 2 ? [0] : [0, days.length - 1];
      chart.append(...labels.map(i => svg("text", { x: x(i), y: H - bottom + 16, "text-anchor": "middle" }, days[i])));
      report.variants.forEach((v, n) => {
        const color = colors.get(v.name), points = v.daily.map((p, i) => [x(i), y(p.conversion)]);
        chart.append(svg("path", { class: "series", "data-variant": v.name, stroke: color,
          d: points.map(([px, py], i) => `${i ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ") }));
        v.daily.forEach((p, i) => chart.append(svg("circle", { class: "day", cx: points[i][0], cy: points[i][1], r: 3, fill: color },
          svg("title", {}, `${v.name} ${p.day}: ${pct(p.conversion)} of ${p.users} users, CTR ${pct(p.ctr)}`))));
        chart.append(svg("text", { x: left + 8 + 90 * n, y: H - 6, style: `fill:${color}` }, `■ ${v.name}`));
      });
      return chart;
    }

    document.addEventListener("DOMContentLoaded", () => {
      $("#experiment-select").addEventListener("change", () => { experiments.chosen = true; guard(loadReport()); });
      $("#refresh-experiments").addEventListener("click", () => guard(loadExperiments()));
      $("#api-key").addEventListener("change", () => guard(loadExperiments()));
      guard(loadExperiments());
    });

    """#
}
