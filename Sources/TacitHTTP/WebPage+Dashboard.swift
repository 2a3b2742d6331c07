/// The operator's overview at `/dashboard`, like Gorse's dashboard: events per hour or day by
/// kind, active users, catalogue and model sizes, model quality across versions, and the
/// service's own request rate and latency. One call to `GET /v1/stats/overview` feeds it; the
/// charts are inline SVG drawn by its script (`WebPage+DashboardScript.swift`), no network.
///
/// Stable hooks for tests: `#span` (the range select), `#refresh-dashboard`, `#totals .card[data-total]`,
/// `svg#chart-events` (a `rect.bar` per bucket and kind with events), `svg#chart-users` (a
/// `circle.point` per bucket), `svg#chart-models` (a `circle.point` per version and charted
/// metric), `svg#chart-search` (with `training.search` on: a `circle.point[data-series=trial]` per
/// trial, the best so far and the configured parameters' line; `#search-panel` is hidden
/// otherwise), `svg#chart-requests` (a `rect.bar` per minute with requests), `svg#chart-latency`,
/// `#routes tr[data-route]`; `body[data-busy]` counts requests in flight, `body[data-loaded]`
/// is set once the overview has rendered.
extension WebPage {
    static let dashboard = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Tacit · dashboard</title>
    <link rel="icon" href="\#(favicon)">
    <style>
    """# + style + dashboardStyle + #"""
    </style>
    </head>
    <body data-busy="0">
    <header class="topbar">
      <h1>Tacit</h1>
      <span class="muted subtitle">operator's overview</span>
      <span class="spacer"></span>
      <a href="/" class="muted">page</a>
      <a href="/openapi.yaml" class="muted">openapi.yaml</a>
      <label class="key">API key
        <input id="api-key" type="password" autocomplete="off" placeholder="X-API-Key (optional)">
      </label>
    </header>
    <div id="messages" aria-live="polite"></div>
    <div class="dash-controls">
      <label for="span">Range</label>
      <select id="span">
        <option value="hour:24">last 24 hours, by hour</option>
        <option value="hour:48" selected>last 48 hours, by hour</option>
        <option value="hour:168">last 7 days, by hour</option>
        <option value="day:30">last 30 days, by day</option>
        <option value="day:90">last 90 days, by day</option>
        <option value="day:365">last year, by day</option>
        <option value="link" hidden>as in the link (bucket, since, until)</option>
      </select>
      <button id="refresh-dashboard" type="button">Refresh</button>
      <span id="dashboard-range" class="muted"></span>
    </div>
    <main class="dash">
      <section id="totals" class="cards"></section>
      <section class="panel">
        <div class="section-head"><h2>Events by kind</h2><span class="muted caption" data-for="events"></span></div>
        <div class="chart" data-chart="events"></div><div class="legend-row" id="events-legend"></div>
      </section>
      <section class="panel">
        <div class="section-head"><h2>Active users</h2><span class="muted caption" data-for="users"></span></div>
        <div class="chart" data-chart="users"></div>
      </section>
      <section class="panel">
        <div class="section-head"><h2>Model quality across versions</h2><span class="muted caption" data-for="models">holdout metrics at 10</span></div>
        <div class="chart" data-chart="models"></div><div class="legend-row" id="models-legend"></div>
      </section>
      <section class="panel" id="search-panel" hidden>
        <div class="section-head"><h2>Model search</h2><span class="muted caption" data-for="search"></span></div>
        <div class="chart" data-chart="search"></div><div class="legend-row" id="search-legend"></div>
      </section>
      <section class="panel">
        <div class="section-head"><h2>Requests per minute</h2><span class="muted caption">last hour · 5xx in red</span></div>
        <div class="chart" data-chart="requests"></div>
      </section>
      <section class="panel">
        <div class="section-head"><h2>Latency per minute</h2><span class="muted caption">mean and p95 (histogram bound)</span></div>
        <div class="chart" data-chart="latency"></div><div class="legend-row" id="latency-legend"></div>
      </section>
      <section class="panel">
        <div class="section-head"><h2>Routes</h2><span class="muted caption">since the service started</span></div>
        <div class="table-scroll" id="routes"></div>
      </section>
    </main>
    <script>
    """# + commonScript + dashboardScript + #"""
    </script>
    </body>
    </html>

    """#

    static let dashboardStyle = #"""
    .dash-controls { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; padding: 12px 20px 0; }
    .dash-controls label { font-weight: 600; }
    #span { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
    .dash { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; padding: 12px 20px 24px; }
    .dash > .cards { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
    .card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
    .card .label { color: var(--muted); font-size: 12px; }
    .chart svg { display: block; width: 100%; height: auto; }
    .chart svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
    .chart svg .grid { stroke: #eef0f4; stroke-width: 1; }
    .chart svg .axis { stroke: #c9ced8; stroke-width: 1; }
    .chart svg .series { fill: none; stroke-width: 2; }
    .chart svg .empty-note { font-size: 13px; }
    .legend-row { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin-top: 6px; }
    .legend-row .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
    @media (max-width: 900px) { .dash { grid-template-columns: minmax(0, 1fr); } }
    @media (max-width: 520px) {
      .dash { padding: 10px 12px 20px; gap: 12px; }
      .dash-controls { padding: 10px 12px 0; }
      .topbar { padding-left: 12px; padding-right: 12px; gap: 8px; }
      .topbar .subtitle { display: none; }
    }

    """#
}
