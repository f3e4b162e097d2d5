import type { Platform } from '../platform';
import { VERDICTS, type Verdict } from './contract';
import { esc } from './escape';

/** Styles shared by every page: inline, so a page opens from disk with nothing else. */
export const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1c2330;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dde6}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d8dde6;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f8}code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid #e1e5eb;padding:8px;overflow:auto;white-space:pre-wrap}
.generated{color:#6a7383;font-size:12px}
.v{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.v-pass{background:#2e7d32}.v-not-supported{background:#78909c}.v-known-fail{background:#8d6e63}
.v-unexpected-pass{background:#ef6c00}.v-fail{background:#c62828}.v-unresolved{background:#6a1b9a}.v-none{background:#cfd8dc;color:#333}
.status-ok{color:#2e7d32}.status-attention{color:#c62828}
.req{border:1px solid #d8dde6;border-radius:6px;padding:6px 12px;margin:10px 0}
.scn{margin:8px 0 8px 12px}
svg text{font:11px system-ui,sans-serif;fill:#1c2330}svg .t{fill:#6a7383}svg .note{fill:#6a7383}
svg .lane{fill:#e8edf5;stroke:#9aa7bd}svg .lane-title{font-weight:600}
svg .life{stroke:#b7c0cf;stroke-dasharray:4 3}svg .msg{stroke:#334;stroke-width:1.3}svg .missing{stroke-dasharray:4 3;opacity:.5}
svg .ev{fill:#334}svg .hop{stroke:#556;stroke-width:1.2}svg .seen{fill:#dcefdc}svg .hop.missing{fill:#f3f3f3}
svg .hop-title{font-weight:600}svg .bar-label{fill:#fff;font-weight:600}
.diagram{overflow-x:auto}
svg text.lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}svg .wake{stroke-dasharray:5 3}svg .wake-lbl{fill:#4a5568;font-style:italic}
svg .fold-band{fill:#eef0f3}svg .fold-text{fill:#4a5568;font-style:italic}svg .step-band{fill:#dfe9f7}svg .step-text{font-weight:600;fill:#1d3b66}
svg .hop-caption{font-weight:600}.note{color:#4a5568;font-size:12px}
.facts th{width:170px}.matrix td{min-width:96px}.mx-differ,.mx-attention{background:#fff3e0}.mx-agree{background:#f1f8e9}
.flag{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;margin-top:2px}.flag-warn{background:#ffcc80}.flag-info{background:#e3e8f0}
`;

export function verdictBadge(v: Verdict | 'none', text: string = v): string {
  return `<span class="v v-${v}">${esc(text)}</span>`;
}

const COLOURS: Record<Verdict, string> = {
  pass: '#2e7d32',
  'not-supported': '#78909c',
  'known-fail': '#8d6e63',
  'unexpected-pass': '#ef6c00',
  fail: '#c62828',
  unresolved: '#6a1b9a',
};

/** The verdict counts as one stacked bar, for a glance. */
export function countsBar(counts: Record<Verdict, number>, width = 600): string {
  const total = VERDICTS.reduce((n, v) => n + counts[v], 0);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" class="bar" width="${width}" height="22" viewBox="0 0 ${width} 22" role="img" aria-label="verdict counts">`];
  if (total === 0) out.push(`<rect x="0" y="0" width="${width}" height="22" fill="#cfd8dc"/><text x="6" y="15">no requirements ran</text>`);
  let x = 0;
  for (const v of VERDICTS) {
    if (!counts[v]) continue;
    const w = (counts[v] / total) * width;
    out.push(`<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="22" fill="${COLOURS[v]}"><title>${esc(`${v}: ${counts[v]}`)}</title></rect>`);
    if (w > 24) out.push(`<text x="${(x + 5).toFixed(1)}" y="15" class="bar-label">${counts[v]}</text>`);
    x += w;
  }
  out.push('</svg>');
  return out.join('');
}

/** The one line of a page that is not reproducible, marked as such. */
export function generatedLine(now: Date | undefined): string {
  return `<p class="generated">Generated at (not reproducible): ${esc(now ? now.toISOString() : 'unknown')}</p>`;
}

export function page(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

/** The facts a reviewer looks for first; the full description follows at the end of the page. */
export function boardFacts(p: Platform): string {
  const rows: [string, string][] = [
    ['board', `${p.name} — ${p.title ?? ''}`],
    ['architecture', `${p.arch} (${p.family})`],
    ['cores', p.cores !== undefined ? String(p.cores) : '—'],
    ['CAmkES VMM', p.hypervisor ? `${p.hypervisor.vmm}${p.hypervisor.note ? ` — ${p.hypervisor.note}` : ''}` : '—'],
    ['interrupt controller', p.gic ? `GICv${p.gic.version}` : p.pic ? 'PIC / IOAPIC' : '—'],
    ['apps', p.apps ? Object.keys(p.apps).sort().join(', ') || '—' : '—'],
    ['description', `${p.file}${p.source ? ` (${p.source})` : ''}`],
  ];
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

/**
 * Any value of a board description, as nested tables: the schema is growing, so nothing is
 * hard-coded. Only plain data is shown: positions and the parser's own objects (kept on some
 * sections for messages) are left out.
 */
export function factsTable(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') {
    const s = typeof value === 'number' && Number.isInteger(value) && value > 0xffff ? `0x${value.toString(16)}` : String(value);
    return esc(s);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    if (value.every((v) => v === null || typeof v !== 'object')) return value.map((v) => factsTable(v, depth + 1)).join(', ');
    return `<ol>${value.map((v) => `<li>${factsTable(v, depth + 1)}</li>`).join('')}</ol>`;
  }
  const plain = (v: unknown) => v === null || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype;
  const entries = Object.entries(value as Record<string, unknown>).filter(([k, v]) => k !== 'pos' && typeof v !== 'function' && plain(v));
  if (entries.length === 0) return '—';
  if (depth > 4) return `<code>${esc(JSON.stringify(value))}</code>`;
  return `<table>${entries.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${factsTable(v, depth + 1)}</td></tr>`).join('')}</table>`;
}
