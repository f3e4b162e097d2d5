import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { DiagnosticError, diagnostic, errorAt, type Diagnostic, type SourcePos } from '../diagnostics';
import { REQ_ID } from './contract';
import { parseYaml } from '../diagnostics/yaml';

/**
 * A board's expected failures: `platforms/expectations/<board>.yaml`, a map from requirement id
 * to `{ reason, link }`. Kept out of the board file because it is a statement about the simulator
 * against upstream, not about the board, and because every top-level platforms/*.yaml is a board.
 */
export interface Expectation {
  readonly requirement: string;
  readonly reason: string;
  /** Issue or upstream link explaining the failure. */
  readonly link: string;
  readonly pos: SourcePos;
}

export const EXPECTATIONS_SUBDIR = 'expectations';

export function expectationsFile(platformsDir: string, board: string): string {
  return path.join(platformsDir, EXPECTATIONS_SUBDIR, `${board}.yaml`);
}

/**
 * Reads a board's expectations; no file means none. Every problem is reported at once with its
 * position, including requirement ids that no scenario carries (`known`), since a typo there
 * would otherwise silently turn a known failure into a plain failure.
 */
export function loadExpectations(file: string, known: ReadonlySet<string>): Map<string, Expectation> {
  if (!fs.existsSync(file)) return new Map();
  return parseExpectations(path.relative(process.cwd(), file) || file, fs.readFileSync(file, 'utf8'), known);
}

export function parseExpectations(file: string, text: string, known: ReadonlySet<string>): Map<string, Expectation> {
  const { doc, at: atOffset } = parseYaml(file, text);
  const at = (offset: number | undefined): SourcePos => atOffset(offset ?? 0);
  const out = new Map<string, Expectation>();
  const errors: Diagnostic[] = [];
  const err = (n: Node | null | undefined, msg: string) => errors.push(diagnostic('error', at(n?.range?.[0]), msg));
  if (doc.contents === null) return out;
  if (!isMap(doc.contents)) throw errorAt(at(doc.contents.range?.[0]), 'expected a map from requirement id to { reason, link }');
  for (const pair of doc.contents.items) {
    const key = pair.key as Node | null;
    const id = isScalar(key) ? String(key.value) : '';
    if (!REQ_ID.test(id)) {
      err(key, `expected a requirement id like REQ-XVM-001, found '${id}'`);
      continue;
    }
    if (!known.has(id)) {
      err(key, `unknown requirement '${id}': no scenario carries @${id}`);
      continue;
    }
    const value = pair.value as Node | null;
    if (!isMap(value)) {
      err(value ?? key, `expected '${id}' to map to { reason, link }`);
      continue;
    }
    const fields = new Map<string, string>();
    for (const f of value.items) {
      const k = isScalar(f.key) ? String(f.key.value) : '';
      const v = f.value as Node | null;
      if (k !== 'reason' && k !== 'link') err(f.key as Node, `unknown field '${k}' (expected reason, link)`);
      else if (!isScalar(v) || typeof v.value !== 'string' || v.value.trim() === '') err(v ?? (f.key as Node), `expected '${k}' to be a non-empty string`);
      else fields.set(k, v.value.trim());
    }
    for (const k of ['reason', 'link']) if (!value.items.some((f) => isScalar(f.key) && f.key.value === k)) err(key, `'${id}' needs a '${k}'`);
    const link = fields.get('link');
    if (link !== undefined && !/^https?:\/\/\S+$/.test(link))
      err(value.items.find((f) => isScalar(f.key) && f.key.value === 'link')?.value as Node, `expected 'link' to be an http(s) URL, found '${link}'`);
    const reason = fields.get('reason');
    if (reason !== undefined && link !== undefined && /^https?:/.test(link))
      out.set(id, { requirement: id, reason, link, pos: at(key?.range?.[0]) });
  }
  if (errors.length) throw new DiagnosticError([...errors].sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col));
  return out;
}
