/** The report page's style: light and dark from the reader's own setting, no font or image fetched. */
export const pageStyle = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--passed:#1a7f37;--flaky:#9a6700;--failed:#cf222e;--cancelled:#818b98;--quarantined:#0969da;--unfinished:#8250df;--link:#0969da;--veil:rgba(255,255,255,.55);--veil-filtered:rgba(255,255,255,.8)}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--passed:#3fb950;--flaky:#d29922;--failed:#f85149;--cancelled:#656c76;--quarantined:#58a6ff;--unfinished:#ab7df8;--link:#4493f8;--veil:rgba(13,17,23,.55);--veil-filtered:rgba(13,17,23,.8)}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
header,main{padding:0 24px}
h1{font-size:20px;margin:16px 0 8px}h2{font-size:16px;margin:24px 0 8px}h4{margin:12px 0 4px;font-size:13px}
a{color:var(--link)}
.meta{color:var(--muted);font-size:12px}
.verdict.passed{color:var(--passed)}.verdict.failed{color:var(--failed)}.verdict.cancelled{color:var(--cancelled)}
.notes{background:var(--panel);border-left:3px solid var(--flaky);padding:8px 8px 8px 28px;margin:8px 0}
.timeline{border:1px solid var(--line);border-radius:6px;padding:4px 8px;overflow:hidden}
.lane{display:flex;align-items:center;height:20px}
.lane-name{flex:0 0 220px;font-size:11px;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding-right:8px}
.track{position:relative;flex:1;height:16px;contain:strict}
.axis .track span{position:absolute;font-size:10px;color:var(--muted);border-left:1px solid var(--line);padding-left:2px;height:16px}
.bar{position:absolute;top:1px;height:14px;min-width:1px;background:var(--cancelled)}
.bar i{display:block;height:100%;background:var(--veil)}
.bar.passed,.key.passed{background:var(--passed)}.bar.flaky,.key.flaky{background:var(--flaky)}.bar.quarantined,.key.quarantined{background:var(--quarantined)}
.bar.failed,.bar.timed-out,.bar.error,.key.failed{background:var(--failed)}.bar.cancelled,.key.cancelled{background:var(--cancelled)}
.bar.unfinished{background:var(--unfinished)}
.bar.lost,.key.lost{background:repeating-linear-gradient(135deg,var(--cancelled) 0 3px,transparent 3px 6px)}
.bar.retried,.key.retried{outline:1px dashed var(--fg);outline-offset:-1px}
.filtered .track::after{content:"";position:absolute;inset:0;background:var(--veil-filtered);pointer-events:none}.bar.hit{z-index:1}.bar:hover,.bar:focus{outline:2px solid var(--fg)}
.legend{font-size:12px;color:var(--muted)}.key{display:inline-block;width:12px;height:10px;border-radius:2px;margin-left:8px;vertical-align:middle}
table.slowest{border-collapse:collapse;font-size:13px}.slowest td,.slowest th{padding:2px 12px 2px 0;text-align:left;white-space:nowrap}
.share{display:inline-block;height:8px;max-width:160px;background:var(--flaky);margin-right:6px;border-radius:2px}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:4px}
#search{flex:0 1 360px;padding:4px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.filter{font-size:13px;padding:2px 8px;border:1px solid var(--line);border-radius:12px}
.filter.passed{color:var(--passed)}.filter.flaky{color:var(--flaky)}.filter.quarantined{color:var(--quarantined)}.filter.failed,.filter.timed-out,.filter.error{color:var(--failed)}
#files{border-top:1px solid var(--line)}
.block{list-style:none;padding:0;margin:0;content-visibility:auto}
.file{display:block;border-bottom:1px solid var(--line)}
.file .summary{display:block;padding:3px 4px;color:inherit;text-decoration:none;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.file .summary:hover{background:var(--panel)}
.file .mark{display:inline-block;width:1.2em;text-align:center;font-weight:bold}
.file.passed .mark,.file.passed .label{color:var(--passed)}.file.flaky .mark,.file.flaky .label{color:var(--flaky)}
.file.failed .mark,.file.failed .label,.file.timed-out .mark,.file.timed-out .label,.file.error .mark,.file.error .label{color:var(--failed)}
.file.cancelled .mark,.file.cancelled .label{color:var(--cancelled)}
.file.quarantined .mark,.file.quarantined .label,.test .quarantine{color:var(--quarantined)}
.label{font-size:12px}
.body{padding:4px 8px 12px 24px}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-height:480px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word}
.messages{margin:4px 0;padding-left:18px;color:var(--failed)}
.tests{list-style:none;padding-left:4px;margin:4px 0}.test.failed,.test.error{color:var(--failed)}.test .message{color:var(--fg)}
dl.settings{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:13px}dl.settings dt{color:var(--muted)}dl.settings dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
`;
