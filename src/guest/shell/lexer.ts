import { LineMap, type SourcePos } from '../../diagnostics';
import type { ParamOp, Program, RedirectOp, Word, WordPart } from './ast';
import { syntaxError } from './errors';

export type Token =
  | { readonly kind: 'word'; readonly word: Word; readonly pos: SourcePos }
  | { readonly kind: 'op'; readonly op: ';' | '&' | '&&' | '||' | '|' | '(' | ')' | ';;'; readonly pos: SourcePos }
  | { readonly kind: 'redir'; readonly op: RedirectOp; readonly fd?: number; readonly pos: SourcePos }
  | { readonly kind: 'newline'; readonly pos: SourcePos }
  | { readonly kind: 'eof'; readonly pos: SourcePos };

/** A here-doc waiting for its body, which starts after the next newline. */
export interface PendingHeredoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly expand: boolean;
  body?: Word;
}

const OPERATORS = ['&&', '||', ';;', '<<-', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>'] as const;
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
/** True for the characters an operator can start with (`;&|()<>`): the only places `OPERATORS` needs trying. */
function isOperatorStart(c: number): boolean {
  return c === 59 || c === 38 || c === 124 || c === 40 || c === 41 || c === 60 || c === 62;
}
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
const PARAM_OPS: readonly ParamOp[] = [':-', ':=', ':?', ':+', '%%', '##', '-', '=', '?', '+', '%', '#'];

type Mode = 'word' | 'dquote' | 'brace' | 'brace-dq' | 'heredoc' | 'arith';

/** End of the run from `i` of characters that are literal in an unquoted word (no quoting, expansion or metacharacter). */
function plainRunEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j);
    // letters, digits and _ . / - + , : = @ % ^ ~ (not ` $ \ ' " # ? * [ and not a metacharacter)
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45 || c === 43 || c === 44 || c === 58 || c === 61 || c === 64 || c === 37 || c === 94 || c === 126) j++;
    else break;
  }
  return j;
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}
function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/** Shell tokens, produced on demand because here-docs and `$(...)` depend on the parser. */
export class ShellLexer {
  private i = 0;
  private readonly map: LineMap;
  private readonly pending: PendingHeredoc[] = [];
  /** While reading a `<<-` body: drop tabs at the start of each line. */
  private stripTabs = false;
  /** Parses the commands of `$(...)` from the current position; set by the parser. */
  parseSubcommand: (lexer: ShellLexer) => Program = () => {
    throw new Error('parseSubcommand not set');
  };

  constructor(readonly text: string, readonly file: string, private readonly base?: SourcePos) {
    this.map = new LineMap(file, text);
  }

  pos(offset = this.i): SourcePos {
    // A word and its first literal part start at the same offset: one position object for both.
    if (offset === this.lastPosAt) return this.lastPos!;
    const p = this.map.pos(offset);
    this.lastPosAt = offset;
    return (this.lastPos = this.base ? { file: p.file, line: p.line + this.base.line - 1, col: p.line === 1 ? p.col + this.base.col - 1 : p.col } : p);
  }
  private lastPosAt = -1;
  private lastPos: SourcePos | null = null;

  registerHeredoc(h: PendingHeredoc): void {
    this.pending.push(h);
  }

  next(): Token {
    this.skipBlanks();
    const start = this.i;
    const c = this.text[this.i];
    if (c === undefined) {
      // ash ends an unterminated here-doc at end of file without complaint.
      if (this.pending.length) this.readHeredocs();
      return { kind: 'eof', pos: this.pos() };
    }
    if (c === '\n') {
      this.i++;
      if (this.pending.length) this.readHeredocs();
      return { kind: 'newline', pos: this.pos(start) };
    }
    // An IO number: digits directly followed by < or >.
    const io = c >= '0' && c <= '9' ? /^[0-9]+(?=[<>])/.exec(this.text.slice(this.i, this.i + 12)) : null;
    if (io) this.i += io[0].length;
    const op = isOperatorStart(this.text.charCodeAt(this.i)) ? OPERATORS.find((o) => this.text.startsWith(o, this.i)) : undefined;
    if (op) {
      this.i += op.length;
      if ('<>'.includes(op[0])) return { kind: 'redir', op: op as RedirectOp, fd: io ? Number(io[0]) : undefined, pos: this.pos(start) };
      return { kind: 'op', op: op as Exclude<Token, { kind: 'redir' | 'word' | 'newline' | 'eof' }>['op'], pos: this.pos(start) };
    }
    const parts = this.readParts('word');
    const pos = this.pos(start);
    return { kind: 'word', word: { parts, pos, text: this.text.slice(start, this.i) }, pos };
  }

  private skipBlanks(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '\\' && this.text[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') {
        while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
      } else break;
    }
  }

  private readHeredocs(): void {
    for (const h of this.pending.splice(0)) {
      const start = this.i;
      let bodyEnd = this.text.length;
      let after = this.text.length;
      let lineStart = this.i;
      while (lineStart < this.text.length) {
        let lineEnd = this.text.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = this.text.length;
        let line = this.text.slice(lineStart, lineEnd);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delimiter) {
          bodyEnd = lineStart;
          after = Math.min(lineEnd + 1, this.text.length);
          break;
        }
        lineStart = lineEnd + 1;
      }
      let parts: WordPart[];
      if (!h.expand) {
        const raw = this.text.slice(start, bodyEnd);
        parts = [{ kind: 'single', value: h.stripTabs ? raw.replace(/^\t+/gm, '') : raw, pos: this.pos(start) }];
      } else {
        this.i = start;
        this.stripTabs = h.stripTabs;
        try {
          parts = this.readParts('heredoc', bodyEnd);
        } finally {
          this.stripTabs = false;
        }
      }
      h.body = { parts, pos: this.pos(start), text: this.text.slice(start, bodyEnd) };
      this.i = after;
    }
  }

  /** Reads word parts until the end the mode defines; quoting rules depend on the mode. */
  private readParts(mode: Mode, end = this.text.length): WordPart[] {
    const parts: WordPart[] = [];
    let lit = '';
    let litStart = this.i;
    const inDq = mode === 'dquote' || mode === 'brace-dq' || mode === 'heredoc';
    let depth = 0;
    while (this.i < end) {
      if (mode === 'word') {
        // A run of characters that mean nothing special in a word is one piece of literal text.
        const run = plainRunEnd(this.text, this.i, end);
        if (run > this.i) {
          if (!lit) litStart = this.i;
          lit += this.text.slice(this.i, run);
          this.i = run;
          continue;
        }
      }
      const c = this.text[this.i];
      if (mode === 'word' && META.has(c)) break;
      if (mode === 'dquote' && c === '"') break;
      if ((mode === 'brace' || mode === 'brace-dq') && c === '}') break;
      if (mode === 'arith') {
        if (c === '(') depth++;
        if (c === ')') {
          if (depth === 0) break;
          depth--;
        }
      }
      if (this.stripTabs && c === '\t' && (this.i === 0 || this.text[this.i - 1] === '\n' || this.text[this.i - 1] === '\t')) {
        // only tabs in the run starting the line are dropped
        let k = this.i;
        while (k > 0 && this.text[k - 1] === '\t') k--;
        if (k === 0 || this.text[k - 1] === '\n') { this.i++; continue; }
      }
      if (!lit) litStart = this.i;
      if (c === '\\') {
        const n = this.text[this.i + 1];
        if (n === '\n') { this.i += 2; continue; } // line continuation
        if (n === undefined) { lit += '\\'; this.i++; continue; }
        if (inDq && !'$`"\\'.includes(n)) { lit += '\\'; this.i++; continue; }
        if (mode === 'heredoc' && n === '"') { lit += '\\'; this.i++; continue; }
        if (lit) lit = this.flushLiteral(parts, lit, litStart);
        parts.push({ kind: 'literal', value: n, quoted: true, pos: this.pos() });
        this.i += 2;
        continue;
      }
      if (c === "'" && !inDq && mode !== 'arith') {
        if (lit) lit = this.flushLiteral(parts, lit, litStart);
        const close = this.text.indexOf("'", this.i + 1);
        if (close < 0 || close >= end) throw syntaxError(this.pos(), 'unterminated quoted string');
        parts.push({ kind: 'single', value: this.text.slice(this.i + 1, close), pos: this.pos() });
        this.i = close + 1;
        continue;
      }
      if (c === '"' && !inDq && mode !== 'arith') {
        if (lit) lit = this.flushLiteral(parts, lit, litStart);
        const start = this.i++;
        const inner = this.readParts('dquote', end);
        if (this.text[this.i] !== '"') throw syntaxError(this.pos(start), 'unterminated quoted string');
        this.i++;
        parts.push({ kind: 'double', parts: inner, pos: this.pos(start) });
        continue;
      }
      if (c === '`') {
        if (lit) lit = this.flushLiteral(parts, lit, litStart);
        parts.push(this.readBackquote(inDq));
        continue;
      }
      if (c === '$') {
        const part = this.readDollar(inDq);
        if (part) {
          if (lit) lit = this.flushLiteral(parts, lit, litStart);
          parts.push(part);
          continue;
        }
      }
      lit += c;
      this.i++;
    }
    if (lit) this.flushLiteral(parts, lit, litStart);
    return parts;
  }

  /** Ends the unquoted literal run `lit` that started at `start`: pushes it and returns ''. */
  private flushLiteral(parts: WordPart[], lit: string, start: number): string {
    parts.push({ kind: 'literal', value: lit, quoted: false, pos: this.pos(start) });
    return '';
  }

  private readDollar(inDq: boolean): WordPart | undefined {
    const start = this.i;
    const pos = this.pos();
    const n = this.text[this.i + 1];
    if (n === '(' && this.text[this.i + 2] === '(') {
      this.i += 3;
      const exprStart = this.i;
      const parts = this.readParts('arith');
      if (!this.text.startsWith('))', this.i)) throw syntaxError(pos, "missing '))'");
      const expr: Word = { parts, pos: this.pos(exprStart), text: this.text.slice(exprStart, this.i) };
      this.i += 2;
      return { kind: 'arith', expr, pos };
    }
    if (n === '(') {
      this.i += 2;
      const program = this.parseSubcommand(this); // consumes through the closing ')'
      return { kind: 'command', program, backquote: false, pos };
    }
    if (n === '{') {
      this.i += 2;
      // `${#}` is the parameter count; `${#name}` a length; `${#:-x}` applies an operator to `$#`.
      let length = false;
      if (this.text[this.i] === '#' && this.text[this.i + 1] !== '}' && !/[:=?+%-]/.test(this.text[this.i + 1] ?? '')) {
        length = true;
        this.i++;
      }
      const name = this.readParamName();
      if (!name) {
        if (this.i >= this.text.length) throw syntaxError(pos, "missing '}'");
        throw syntaxError(pos, 'bad substitution');
      }
      let op: ParamOp | undefined;
      let arg: Word | undefined;
      if (!length) op = PARAM_OPS.find((o) => this.text.startsWith(o, this.i));
      if (op) {
        this.i += op.length;
        const argStart = this.i;
        const parts = this.readParts(inDq ? 'brace-dq' : 'brace');
        arg = { parts, pos: this.pos(argStart), text: this.text.slice(argStart, this.i) };
      }
      if (this.text[this.i] !== '}') {
        if (this.i >= this.text.length) throw syntaxError(pos, "missing '}'");
        throw syntaxError(pos, 'bad substitution');
      }
      this.i++;
      return { kind: 'param', name, braced: true, ...(length ? { length } : {}), ...(op ? { op, arg } : {}), pos };
    }
    this.i++;
    const name = this.readParamName(true);
    if (!name) {
      this.i = start;
      return undefined; // a lone '$' is literal
    }
    return { kind: 'param', name, braced: false, pos };
  }

  /** `name`, a positional parameter, or a special parameter. Unbraced positionals are one digit. */
  private readParamName(unbraced = false): string {
    const c = this.text[this.i];
    if (c === undefined) return '';
    if (isNameStart(c)) {
      const s = this.i;
      while (isNameChar(this.text[this.i])) this.i++;
      return this.text.slice(s, this.i);
    }
    if (/[0-9]/.test(c)) {
      const s = this.i++;
      if (!unbraced) while (/[0-9]/.test(this.text[this.i] ?? '')) this.i++;
      return this.text.slice(s, this.i);
    }
    if (SPECIAL_PARAMS.has(c)) {
      this.i++;
      return c;
    }
    return '';
  }

  private readBackquote(inDq: boolean): WordPart {
    const start = this.i++;
    let inner = '';
    while (true) {
      const c = this.text[this.i];
      if (c === undefined) throw syntaxError(this.pos(start), 'EOF in backquote substitution');
      if (c === '`') break;
      if (c === '\\') {
        const n = this.text[this.i + 1];
        if (n === '$' || n === '`' || n === '\\' || (inDq && n === '"')) {
          inner += n;
          this.i += 2;
          continue;
        }
      }
      inner += c;
      this.i++;
    }
    this.i++;
    const sub = new ShellLexer(inner, this.file, this.pos(start + 1));
    sub.parseSubcommand = this.parseSubcommand;
    const program = this.parseBackquoteProgram(sub);
    return { kind: 'command', program, backquote: true, pos: this.pos(start) };
  }

  /** Set by the parser: parses a whole backquoted command string. */
  parseBackquoteProgram: (sub: ShellLexer) => Program = () => {
    throw new Error('parseBackquoteProgram not set');
  };

  /** Used by the parser for `$(...)`: the offset it stopped at, to continue the word after it. */
  get offset(): number {
    return this.i;
  }
}

