import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReports } from '../../../src/report/build';
import { FIXTURE_OPTIONS, fixtureReportsDir } from './helpers';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function chromium(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vmconf-chromium-'));
  const r = spawnSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  fs.rmSync(profile, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('a board page renders from disk in headless Chromium, with its summary and SVG diagrams', (t) => {
  if (!fs.existsSync(CHROMIUM)) {
    t.skip(`chromium not installed: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    return;
  }
  const dir = fixtureReportsDir();
  buildReports({ reportsDir: dir, now: new Date('2026-01-01T00:00:00Z'), ...FIXTURE_OPTIONS });
  const page = path.join(dir, 'fxboard', 'index.html');
  const url = pathToFileURL(page).href;

  const dom = chromium(['--window-size=1280,2000', '--dump-dom', url]);
  assert.equal(dom.status, 0, `chromium --dump-dom failed: ${dom.stderr.slice(0, 500)}`);
  assert.match(dom.stdout, /<h2 id="summary">Summary<\/h2>/);
  assert.match(dom.stdout, /<svg[^>]*class="bar"/);
  assert.match(dom.stdout, /<svg[^>]*class="seq"[^>]*aria-label="sequence diagram"/);
  assert.match(dom.stdout, /<svg[^>]*class="irq"[^>]*aria-label="IRQ path"/);
  assert.match(dom.stdout, /ping:control blocked on ep pong/);
  // A failure shows its assertion, its trace excerpt and (for a deadlock) the deadlock report.
  assert.match(dom.stdout, /<pre class="message">dataport word at offset 0: expected 4096 to equal 8192<\/pre>/);
  assert.match(dom.stdout, /<summary>Trace excerpt<\/summary>/);
  assert.match(dom.stdout, /<pre class="deadlock">deadlock at 2000 ns/);
  // The cross-VM scenario's diagram is open and starts with its folded Given step.
  assert.match(dom.stdout, /<details open=""><summary>Sequence diagram<\/summary>[\s\S]*?Given a guest booted next to a print server: \d+ events/);
  assert.match(dom.stdout, /irq 43: 6 of 7 hops seen/);

  const shot = path.join(dir, 'fxboard', 'screenshot.png');
  const pic = chromium([`--screenshot=${shot}`, '--window-size=1280,2000', url]);
  assert.equal(pic.status, 0, `chromium --screenshot failed: ${pic.stderr.slice(0, 500)}`);
  const png = fs.readFileSync(shot);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.ok(png.length > 10_000, `the screenshot is suspiciously small (${png.length} bytes)`);
  t.diagnostic(`screenshot: ${shot}`);
});
