/// The page's "Experiments" section: its HTML and CSS (the script is in
/// `WebPage+ExperimentsScript.swift`).
///
/// Stable hooks for tests: `#experiment-select`, `#refresh-experiments`, `#experiments`,
/// `#experiment-none-running` (shown when no experiment runs), `#experiment-membership` (the
/// loaded user's experiment and variant in `data-experiment`/`data-variant`; their row is `tr.mine`),
/// `#experiment-variants tr[data-variant] td.users`, `#experiment-comparisons tr[data-variant]`,
/// `#sample-ratio-warning`, `svg#conversion-intervals` (a `circle.estimate` and a `line.whisker`
/// per variant), `svg#conversion-over-time` (a `path.series` per variant).
extension WebPage {
    static let experimentsSection = #"""
    <section id="experiments-section" class="panel">
      <div class="section-head">
        <h2>Experiments</h2>
        <select id="experiment-select" aria-label="experiment"></select>
        <span id="experiment-status" class="muted"></span><span class="spacer"></span>
        <button id="refresh-experiments" type="button">Refresh</button>
      </div>
      <p id="experiment-none-running" class="warning" hidden></p>
      <p id="experiment-membership" class="muted"></p>
      <div id="experiments"><p class="empty">Loading…</p></div>
    </section>

    """#

    static let experimentsStyle = #"""
    #experiments-section { margin: 0 20px 24px; }
    #experiment-select { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; }
    .experiment-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
    .experiment-grid figure { margin: 0; }
    .experiment-grid figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
    .experiment-grid svg { width: 100%; height: auto; background: #fafbfc; border: 1px solid #eef0f4; border-radius: 8px; }
    svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
    svg .axis { stroke: #c9ced8; stroke-width: 1; }
    svg .whisker { stroke-width: 2; }
    svg .series { fill: none; stroke-width: 2; }
    #experiment-variants th:not(:first-child), #experiment-comparisons th:nth-child(n+2):nth-child(-n+5) { text-align: right; }
    .warning { background: var(--new); border: 1px solid #e6c84f; border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
    .verdict { font-size: 13px; }
    #experiment-membership b { color: var(--text); }
    #experiment-variants tr.mine td { background: var(--accent-soft); }
    .warning[hidden] { display: none; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
    .table-scroll + .table-scroll { margin-top: 10px; }
    #experiment-select[hidden] { display: none; }
    @media (max-width: 900px) { .experiment-grid { grid-template-columns: 1fr; } }
    @media (max-width: 520px) { #experiments-section { margin: 0 12px 16px; } }

    """#
}
