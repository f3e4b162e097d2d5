import * as path from 'node:path';
import { diagnostic, errorAt, type Diagnostic, type SourcePos } from '../../diagnostics';
import { evaluate } from './expr';
import { Expander } from './expand';
import { findInclude, type SearchPath } from './include';
import { lex } from './lexer';
import { BUILTINS, parseDefine, redefinitionNote, sameDefinition, type Macro } from './macro';
import { OutputBuilder, type PositionMap } from './posmap';
import { copyTok, eofTok, isHash, isPunct, tok, type Tok } from './token';

/**
 * Macros in force before the user's text. camkes-tool always passes -DCAMKES_TOOL_PROCESSING
 * (reference A.1). The rest is what the host `cpp` (gcc, gnu17, Linux) predefines that a
 * .camkes file could plausibly meet; note that gcc in GNU mode really does define `linux` and
 * `unix` to 1, so an identifier `linux` in a .camkes file becomes `1`.
 * UNCONFIRMED: the host gcc's full predefined set (hundreds of __SIZEOF_*__ and target macros)
 * is not modelled; only this list is.
 */
export const PREDEFINED: readonly string[] = [
  'CAMKES_TOOL_PROCESSING 1',
  '__STDC__ 1',
  '__STDC_VERSION__ 201710L',
  '__STDC_HOSTED__ 1',
  'unix 1',
  'linux 1',
  '__unix__ 1',
  '__linux__ 1',
];

const MAX_INCLUDE_DEPTH = 200;
/** Tokens read from files, counted over all includes, so a file that includes itself twice fails cleanly. */
const MAX_FILE_TOKENS = 20_000_000;

interface Cond {
  type: string;
  readonly pos: SourcePos;
  skipElses: boolean;
  readonly wasSkipping: boolean;
}

interface FileState {
  readonly path: string;
  readonly dirIndex: number;
  readonly toks: readonly Tok[];
  i: number;
  readonly conds: Cond[];
  /** Set by #line: physical line of the directive, the presumed number of the next line, the presumed name. */
  remap: { readonly physLine: number; readonly presumed: number; readonly name: string } | null;
}

export interface PreprocessorConfig {
  readonly search: SearchPath;
  readonly defines: readonly string[];
  readonly undefines: readonly string[];
}

export class Preprocessor extends Expander {
  readonly warnings: Diagnostic[] = [];
  readonly includes: string[] = [];
  private readonly files: FileState[] = [];
  private skipping = false;
  /** A token that starts a line of the user's text was read: the next printed token starts a line. */
  private newline = false;
  private counter = 0;
  private fileTokens = MAX_FILE_TOKENS;
  private readonly warned = new Set<string>();
  private readonly once = new Set<string>();
  private readonly lexed = new Map<string, Tok[]>();

  constructor(private readonly mainFile: string, private readonly config: PreprocessorConfig) {
    super();
    for (const b of BUILTINS) this.macros.set(b, { name: b, params: null, variadic: false, body: [], def: { file: '<built-in>', line: 1, col: 1 }, builtin: b, disabled: false });
    for (const d of PREDEFINED) this.defineText(d, '<built-in>');
    for (const d of config.defines) {
      const eq = d.indexOf('=');
      this.defineText(eq < 0 ? `${d} 1` : `${d.slice(0, eq)} ${d.slice(eq + 1)}`, '<command-line>');
    }
    for (const u of config.undefines) this.macros.delete(u);
  }

  run(text: string): { text: string; map: PositionMap } {
    this.pushFile(this.mainFile, text, -1);
    const end = this.files[0].toks[this.files[0].toks.length - 1].pos;
    const out = new OutputBuilder();
    for (;;) {
      const t = this.getToken();
      if (t.kind !== 'eof') {
        out.add(t, this.newline);
        if (t.kind !== 'pad') this.newline = false;
        continue;
      }
      const f = this.files.pop()!;
      const open = f.conds[f.conds.length - 1];
      if (open) throw errorAt(open.pos, `unterminated #${open.type}`);
      if (this.files.length === 0) return out.finish(end);
    }
  }

  protected warn(pos: SourcePos, message: string, notes?: Diagnostic[]): void {
    const key = `${pos.file}:${pos.line}:${pos.col}:${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push(diagnostic('warning', pos, message, notes));
  }

  private defineText(text: string, file: string): void {
    const toks = lex(file, text);
    toks.pop();
    const dir = tok('id', 'define', false, true, { file, line: 1, col: 1 });
    this.define(parseDefine(toks, dir, (p, m) => this.warn(p, m)));
  }

  private pushFile(p: string, text: string, dirIndex: number): void {
    let toks = this.lexed.get(p);
    if (!toks) {
      toks = lex(p, text);
      this.lexed.set(p, toks);
    }
    this.files.push({ path: p, dirIndex, toks, i: 0, conds: [], remap: null });
  }

  private get file(): FileState {
    return this.files[this.files.length - 1];
  }

  protected lexBase(): Tok {
    for (;;) {
      const f = this.file;
      const t = f.toks[f.i];
      if (t.kind === 'eof') return t;
      f.i++;
      if (t.bol && isHash(t) && this.parsingArgs !== 1) {
        this.directive(f, t);
        continue;
      }
      if (this.skipping) continue;
      if (--this.fileTokens < 0) throw errorAt(t.pos, `input exceeds ${MAX_FILE_TOKENS} tokens (recursive #include?)`);
      let r = f.remap ? this.remap(f, t) : t;
      if (t.warn) this.warn(r.pos, t.warn);
      if (t.bol && this.parsingArgs === 0) this.newline = true;
      // gcc: inside macro arguments a token starting a new line counts as preceded by whitespace.
      if (this.parsingArgs === 2 && t.bol && !t.ws) {
        const spaced = copyTok(r);
        spaced.ws = true;
        r = spaced;
      }
      return r;
    }
  }

  protected backupBase(): void {
    this.file.i--;
  }

  private remap(f: FileState, t: Tok): Tok {
    const r = f.remap!;
    const c = copyTok(t);
    c.pos = { file: r.name, line: r.presumed + (t.pos.line - r.physLine - 1), col: t.pos.col };
    return c;
  }

  private presumedName(f: FileState): string {
    return f.remap ? f.remap.name : f.path;
  }

  protected builtin(m: Macro, name: Tok): Tok {
    const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => '\\' + c)}"`;
    let kind: 'num' | 'str' = 'num';
    let text: string;
    switch (m.builtin) {
      case '__LINE__':
        text = String(this.posOf(name).line);
        break;
      case '__COUNTER__':
        text = String(this.counter++);
        break;
      case '__INCLUDE_LEVEL__':
        text = String(this.files.length - 1);
        break;
      default:
        kind = 'str';
        text = quote(m.builtin === '__BASE_FILE__' ? this.mainFile : m.builtin === '__FILE_NAME__' ? path.basename(this.presumedName(this.file)) : this.presumedName(this.file));
    }
    return tok(kind, text, false, false, name.pos);
  }

  private directive(f: FileState, hash: Tok): void {
    let end = f.i;
    while (f.toks[end].kind !== 'eof' && !f.toks[end].bol) end++;
    let line = f.toks.slice(f.i, end);
    f.i = end;
    if (line.length === 0) return; // the null directive
    if (f.remap) line = line.map((t) => this.remap(f, t));
    const name = line[0];
    const rest = line.slice(1);
    const saved = [this.parsingArgs, this.preventExpansion] as const;
    this.parsingArgs = 0;
    this.preventExpansion = 0;
    try {
      this.dispatch(f, hash, name, rest);
    } finally {
      [this.parsingArgs, this.preventExpansion] = saved;
    }
  }

  private dispatch(f: FileState, hash: Tok, name: Tok, rest: Tok[]): void {
    if (name.kind === 'id') {
      switch (name.text) {
        case 'if':
          return this.pushCond(f, 'if', hash.pos, this.skipping || !this.condition(name, rest));
        case 'ifdef':
        case 'ifndef':
          return this.pushCond(f, name.text, hash.pos, this.skipping || !this.definedTest(name, rest));
        case 'elif':
        case 'elifdef':
        case 'elifndef':
          return this.doElif(f, name, rest);
        case 'else':
        case 'endif':
          return this.doElseEndif(f, name, rest);
      }
    }
    if (this.skipping) return;
    for (const t of rest) if (t.warn) this.warn(t.pos, t.warn);
    if (name.kind === 'num') return this.doLine(f, hash, name, [name, ...rest], true);
    switch (name.kind === 'id' ? name.text : '') {
      case 'define':
        return this.define(parseDefine(rest, name, (p, m) => this.warn(p, m)));
      case 'undef':
        return this.undef(name, rest);
      case 'include':
      case 'include_next':
      case 'import':
        return this.include(f, name, rest);
      case 'line':
        return this.doLine(f, hash, name, this.expandLine(rest, name, false), false);
      case 'error':
        throw errorAt(name.pos, `#error ${spell(rest)}`.trimEnd());
      case 'warning':
        return this.warn(name.pos, `#warning ${spell(rest)}`.trimEnd());
      case 'pragma':
        return this.pragma(f, name, rest);
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return;
      default:
        throw errorAt(name.pos, `invalid preprocessing directive #${name.text}`);
    }
  }

  private define(m: Macro): void {
    const old = this.macros.get(m.name);
    if (old && (old.builtin || !sameDefinition(old, m))) {
      this.warn(m.def, `"${m.name}" redefined`, old.builtin ? undefined : [redefinitionNote(old)]);
    }
    this.macros.set(m.name, m);
  }

  private macroName(dir: Tok, rest: Tok[]): string {
    const id = rest[0];
    if (!id) throw errorAt(dir.pos, `no macro name given in #${dir.text} directive`);
    if (id.kind !== 'id') throw errorAt(id.pos, 'macro names must be identifiers');
    if (id.text === 'defined') throw errorAt(id.pos, '"defined" cannot be used as a macro name');
    if (rest.length > 1) this.warn(rest[1].pos, `extra tokens at end of #${dir.text} directive`);
    return id.text;
  }

  private undef(dir: Tok, rest: Tok[]): void {
    const n = this.macroName(dir, rest);
    if (this.macros.get(n)?.builtin) this.warn(rest[0].pos, `undefining "${n}"`);
    this.macros.delete(n);
  }

  private definedTest(dir: Tok, rest: Tok[]): boolean {
    const has = this.macros.has(this.macroName(dir, rest));
    return dir.text.endsWith('ndef') ? !has : has;
  }

  private condition(dir: Tok, rest: Tok[]): boolean {
    return evaluate(this.expandLine(rest, dir, true), dir, { posOf: (t) => this.posOf(t), warn: (p, m) => this.warn(p, m) });
  }

  // gcc push_conditional / do_elif / do_else / do_endif, including DR#412: once a group was
  // taken, later #elif expressions are not evaluated.
  private pushCond(f: FileState, type: string, pos: SourcePos, skip: boolean): void {
    f.conds.push({ type, pos, skipElses: this.skipping || !skip, wasSkipping: this.skipping });
    this.skipping = skip;
  }

  private doElif(f: FileState, dir: Tok, rest: Tok[]): void {
    const c = f.conds[f.conds.length - 1];
    if (!c) throw errorAt(dir.pos, `#${dir.text} without #if`);
    if (c.type === 'else') throw errorAt(dir.pos, `#${dir.text} after #else`, [diagnostic('note', c.pos, 'the conditional began here')]);
    c.type = dir.text;
    if (c.skipElses) this.skipping = true;
    else {
      this.skipping = !(dir.text === 'elif' ? this.condition(dir, rest) : this.definedTest(dir, rest));
      c.skipElses = !this.skipping;
    }
  }

  private doElseEndif(f: FileState, dir: Tok, rest: Tok[]): void {
    const c = f.conds[f.conds.length - 1];
    if (!c) throw errorAt(dir.pos, `#${dir.text} without #if`);
    if (!c.wasSkipping && rest.length > 0) this.warn(rest[0].pos, `extra tokens at end of #${dir.text} directive`);
    if (dir.text === 'endif') {
      f.conds.pop();
      this.skipping = c.wasSkipping;
      return;
    }
    if (c.type === 'else') throw errorAt(dir.pos, '#else after #else', [diagnostic('note', c.pos, 'the conditional began here')]);
    c.type = 'else';
    this.skipping = c.skipElses;
    c.skipElses = true;
  }

  /** Macro-expands the rest of a directive line, resolving `defined` and `__has_include` for #if. */
  private expandLine(rest: readonly Tok[], dir: Tok, forIf: boolean): Tok[] {
    const depth = this.ctxs.length;
    const endPos = rest.length ? rest[rest.length - 1].pos : dir.pos;
    this.pushTokens(null, [...rest, eofTok(endPos)]);
    const saved = [this.inDirective, this.directiveWantsPadding] as const;
    this.inDirective = true;
    this.directiveWantsPadding = dir.text === 'include' || dir.text === 'include_next' || dir.text === 'import';
    const out: Tok[] = [];
    try {
      for (;;) {
        const t = this.getToken();
        if (t.kind === 'eof') break;
        if (t.kind === 'pad') continue;
        if (forIf && t.kind === 'id' && t.text === 'defined') out.push(this.parseDefined(t));
        else if (forIf && t.kind === 'id' && (t.text === '__has_include' || t.text === '__has_include_next')) out.push(this.parseHasInclude(t));
        else out.push(t);
      }
    } finally {
      [this.inDirective, this.directiveWantsPadding] = saved;
      this.ctxs.length = depth;
    }
    return out;
  }

  private nextSolid(): Tok {
    for (;;) {
      const t = this.getToken();
      if (t.kind !== 'pad') return t;
    }
  }

  private parseDefined(op: Tok): Tok {
    this.preventExpansion++;
    try {
      let t = this.nextSolid();
      const paren = isPunct(t, '(');
      if (paren) t = this.nextSolid();
      if (t.kind !== 'id') throw errorAt(this.posOf(t.kind === 'eof' ? op : t), 'operator "defined" requires an identifier');
      if (paren) {
        const close = this.nextSolid();
        if (!isPunct(close, ')')) throw errorAt(this.posOf(close.kind === 'eof' ? t : close), `missing ')' after "defined"`);
      }
      return tok('num', this.macros.has(t.text) ? '1' : '0', op.ws, false, op.pos, { origin: op.origin });
    } finally {
      this.preventExpansion--;
    }
  }

  private parseHasInclude(op: Tok): Tok {
    const open = this.nextSolid();
    if (!isPunct(open, '(')) throw errorAt(this.posOf(open.kind === 'eof' ? op : open), `missing '(' before "${op.text}" operand`);
    const header = this.headerName(this.nextSolid, op);
    if (!isPunct(this.nextSolid(), ')')) throw errorAt(this.posOf(op), `missing ')' after "${op.text}" operand`);
    const next = op.text === '__has_include_next' ? (this.file.dirIndex >= 0 ? this.file.dirIndex + 1 : 0) : null;
    const r = findInclude(header.name, header.angled, this.file.path, next, this.config.search);
    return tok('num', r.found ? '1' : '0', op.ws, false, op.pos, { origin: op.origin });
  }

  /** A header name from `"x"`, a lexed `<x>`, or `<` tokens glued up to `>` (gcc glue_header_name). */
  private headerName(next: () => Tok, dir: Tok): { name: string; angled: boolean; at: Tok } {
    const first = next.call(this);
    if (first.kind === 'header') return { name: first.text.slice(1, -1), angled: true, at: first };
    if (first.kind === 'str' && first.text[0] === '"') return { name: first.text.slice(1, -1), angled: false, at: first };
    if (!isPunct(first, '<')) throw errorAt(this.posOf(first.kind === 'eof' ? dir : first), `#include expects "FILENAME" or <FILENAME>`);
    let name = '';
    for (;;) {
      const t = next.call(this);
      if (isPunct(t, '>')) break;
      if (t.kind === 'eof') throw errorAt(this.posOf(first), 'missing terminating > character');
      name += (t.ws && name ? ' ' : '') + t.text;
    }
    return { name, angled: true, at: first };
  }

  private include(f: FileState, dir: Tok, rest: Tok[]): void {
    const toks = rest[0] && (rest[0].kind === 'header' || rest[0].kind === 'str') ? rest : this.expandLine(rest, dir, false);
    let k = 0;
    const eof = eofTok(dir.pos);
    const { name, angled, at } = this.headerName(() => toks[k++] ?? eof, dir);
    if (name === '') throw errorAt(this.posOf(at), `empty filename in #${dir.text}`);
    if (k < toks.length) this.warn(this.posOf(toks[k]), `extra tokens at end of #${dir.text} directive`);
    if (this.files.length >= MAX_INCLUDE_DEPTH) {
      throw errorAt(dir.pos, `#include nested depth ${this.files.length} exceeds maximum of ${MAX_INCLUDE_DEPTH} (use -fmax-include-depth=DEPTH to increase the maximum)`);
    }
    let next: number | null = null;
    if (dir.text === 'include_next') {
      if (this.files.length === 1) this.warn(dir.pos, '#include_next in primary source file');
      else next = f.dirIndex + 1;
    }
    const r = findInclude(name, angled, f.path, next, this.config.search);
    if (!r.found) {
      const where = r.searched.length ? r.searched.map((d) => `'${d}'`).join(', ') : '(no include directories)';
      throw errorAt(this.posOf(at), `'${name}' file not found`, [diagnostic('note', this.posOf(at), `searched: ${where}`)]);
    }
    const key = path.resolve(r.found.path);
    if (!this.includes.includes(r.found.path)) this.includes.push(r.found.path);
    if (this.once.has(key)) return;
    if (dir.text === 'import') this.once.add(key);
    this.pushFile(r.found.path, r.found.text, r.found.dirIndex);
  }

  private doLine(f: FileState, hash: Tok, dir: Tok, toks: Tok[], marker: boolean): void {
    const num = toks[0];
    const what = marker ? '#' : '#line';
    if (!num) throw errorAt(dir.pos, `unexpected end of file after ${what}`);
    if (num.kind !== 'num' || !/^[0-9]+$/.test(num.text)) throw errorAt(this.posOf(num), `"${num.text}" after ${what} is not a positive integer`);
    let name = this.presumedName(f);
    const file = toks[1];
    if (file) {
      if (file.kind !== 'str' || file.text[0] !== '"') throw errorAt(this.posOf(file), `invalid filename "${file.text}"`);
      name = file.text.slice(1, -1).replace(/\\(.)/g, '$1');
      if (!marker && toks.length > 2) this.warn(this.posOf(toks[2]), 'extra tokens at end of #line directive');
    }
    f.remap = { physLine: hash.pos.line, presumed: Number(num.text), name };
  }

  private pragma(f: FileState, dir: Tok, rest: Tok[]): void {
    const [a, b, c] = rest;
    if (a?.text === 'once' && rest.length === 1) this.once.add(path.resolve(f.path));
    else if (a?.text === 'GCC' && (b?.text === 'error' || b?.text === 'warning')) {
      const msg = c?.kind === 'str' ? c.text.slice(1, -1) : spell(rest.slice(2));
      if (b.text === 'error') throw errorAt(dir.pos, msg);
      this.warn(dir.pos, msg);
    }
    // Other pragmas have no effect on CAmkES input; gcc would copy them to its output, where
    // the CAmkES grammar discards any `#` line.
  }
}

/** The rest of a directive line as gcc prints it in #error: tokens, single spaces. */
function spell(toks: readonly Tok[]): string {
  return toks.map((t, k) => (k > 0 && t.ws ? ' ' : '') + t.text).join('');
}
