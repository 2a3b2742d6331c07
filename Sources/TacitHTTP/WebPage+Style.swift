extension WebPage {
    /// The page's CSS (no external fonts or images).
    static let style = #"""
    :root {
      --bg: #f4f5f7; --panel: #fff; --text: #1d2330; --muted: #6b7385; --line: #dde1e8;
      --accent: #3558d8; --accent-soft: #e8edfc; --error: #b3261e; --error-soft: #fdecea;
      --ok-soft: #e7f6ec; --new: #fff4c2;
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--text);
      font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    h1 { font-size: 20px; margin: 0; letter-spacing: .5px; }
    h2 { font-size: 15px; margin: 0; }
    button { font: inherit; padding: 5px 11px; border: 1px solid var(--line); border-radius: 6px;
      background: #fff; color: var(--text); cursor: pointer; }
    button:hover { border-color: var(--accent); }
    button:disabled { opacity: .5; cursor: progress; }
    button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
    input { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
    input:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
    .muted { color: var(--muted); }
    .spacer { flex: 1; }
    .empty { color: var(--muted); margin: 6px 0; }

    .topbar { display: flex; align-items: center; gap: 14px; padding: 10px 20px; background: #1d2330; color: #fff; }
    .topbar .muted, .topbar a { color: #aeb6c8; }
    .topbar .key { display: flex; align-items: center; gap: 6px; color: #aeb6c8; white-space: nowrap; }
    #server-status { min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .topbar input { width: 190px; }
    body:not([data-busy="0"]) .topbar h1::after { content: " ·"; color: #8fb0ff; }

    #messages { position: fixed; right: 16px; bottom: 16px; z-index: 10; width: min(480px, calc(100vw - 32px));
      display: flex; flex-direction: column-reverse; gap: 8px; }
    .message { display: flex; align-items: flex-start; gap: 10px; padding: 8px 12px;
      border-radius: 6px; border: 1px solid; box-shadow: 0 4px 14px rgba(29, 35, 48, .15); }
    .message span { flex: 1; white-space: pre-wrap; word-break: break-word; }
    .message.error { background: var(--error-soft); border-color: #f1b8b3; color: var(--error); }
    .message.info { background: var(--ok-soft); border-color: #b9e2c6; color: #1e6b3a; }
    .message button { padding: 0 6px; border: none; background: transparent; color: inherit; font-size: 16px; }

    .userbar { display: flex; align-items: center; gap: 10px; padding: 12px 20px 0; }
    .userbar label { font-weight: 600; }
    #user-input { width: 200px; }
    #current-user b { color: var(--text); }
    .legend { color: var(--muted); font-size: 12px; }
    .new-swatch { background: var(--new); padding: 1px 6px; border-radius: 4px; color: var(--text); }

    .layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 16px; padding: 12px 20px; }
    .col-main, .col-side { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
    .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
    #models-section { margin: 0 20px 24px; }
    .section-head { display: flex; align-items: baseline; gap: 10px; margin-bottom: 10px; flex-wrap: wrap; }
    .section-head .meta { margin-left: auto; display: flex; gap: 8px; align-items: baseline; font-size: 12px; color: var(--muted); }
    .meta code { font-size: 11px; }

    .items.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
    .items.compact { display: flex; flex-direction: column; gap: 6px; }
    .item { position: relative; display: flex; flex-direction: column; gap: 4px; padding: 9px 10px;
      border: 1px solid var(--line); border-radius: 8px; background: #fff; transition: background 1.5s; }
    .item .item-head { display: flex; align-items: flex-start; gap: 6px; }
    .item .title { font-weight: 600; flex: 1; word-break: break-word; }
    .item .meta-line { display: flex; gap: 8px; font-size: 12px; color: var(--muted); }
    .item .price { color: var(--text); }
    .item .explanation { font-size: 12px; color: #39415a; font-style: italic; }
    .item .unavailable { font-size: 11px; color: var(--error); }
    .item .actions { display: flex; gap: 4px; margin-top: auto; padding-top: 4px; }
    .item .actions button { padding: 2px 7px; font-size: 12px; }
    .items.compact .item { flex-direction: row; flex-wrap: wrap; align-items: center; padding: 6px 8px; }
    .items.compact .item .item-head { flex: 1 1 100%; }
    .items.compact .item .actions { margin-top: 0; padding-top: 0; margin-left: auto; }
    .item.new { background: var(--new); border-color: #e6c84f; }
    .item.new::before { content: "new"; position: absolute; top: -7px; right: 8px; font-size: 10px; padding: 0 5px;
      background: #e6c84f; border-radius: 4px; color: #3d3200; }
    .item.focus { box-shadow: 0 0 0 2px var(--accent-soft), 0 0 0 3px var(--accent); }

    .badge { font-size: 11px; padding: 1px 6px; border-radius: 10px; background: #eef0f4; color: #39415a; white-space: nowrap; }
    .source-personal { background: #e3ebff; color: #2446b8; }
    .source-similar { background: #e9e3ff; color: #5130b0; }
    .source-complementary { background: #ffe8d6; color: #9a4a0b; }
    .source-trending { background: #ffe1e6; color: #a3213d; }
    .source-popular { background: #e4f4e8; color: #1f7a3c; }
    .source-content { background: #e0f3f5; color: #17707c; }
    .source-repeat { background: #fff4cc; color: #7a5c00; }
    .badge.model { background: var(--accent-soft); color: var(--accent); }
    .badge.fallback { background: #f3ece0; color: #7a5a1a; }

    #history { list-style: none; margin: 0; padding: 0; max-height: 420px; overflow-y: auto; }
    .event { display: grid; grid-template-columns: 86px 1fr; gap: 0 8px; padding: 5px 4px; border-bottom: 1px solid #eef0f4; }
    .event.new { background: var(--new); }
    .event .kind { font-size: 11px; text-align: center; align-self: start; }
    .kind-view { background: #eef0f4; } .kind-click { background: #e3ebff; color: #2446b8; }
    .kind-add_to_cart { background: #ffe8d6; color: #9a4a0b; } .kind-purchase { background: #e4f4e8; color: #1f7a3c; }
    .event .what { font-weight: 600; word-break: break-word; }
    .event .when { grid-column: 2; font-size: 11px; color: var(--muted); }

    .searchbar { display: flex; gap: 8px; margin-bottom: 10px; }
    .searchbar input { flex: 1; }

    table.models { width: 100%; border-collapse: collapse; font-size: 13px; }
    table.models th, table.models td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eef0f4; vertical-align: top; }
    table.models th { color: var(--muted); font-weight: 600; }
    table.models tr.serving td { background: var(--ok-soft); }
    table.models td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .metric { display: inline-block; margin-right: 10px; white-space: nowrap; }

    .table-scroll { overflow-x: auto; max-width: 100%; }
    button.more { display: block; margin: 10px auto 0; }
    button.more[hidden] { display: none; }

    @media (max-width: 900px) {
      .layout { grid-template-columns: 1fr; }
      .userbar, .topbar { flex-wrap: wrap; }
    }
    @media (max-width: 520px) {
      .topbar, .userbar { padding-left: 12px; padding-right: 12px; gap: 8px; }
      .layout { padding: 10px 12px; }
      #models-section, #experiments-section { margin: 0 12px 16px; }
      #user-input { width: 150px; flex: 1 1 120px; }
      .topbar .key { flex: 1 1 100%; }
      .topbar input { flex: 1; width: auto; min-width: 0; }
      .legend { display: none; }
      #server-status { flex: 1 1 100%; order: 5; }
    }

    """#
}
