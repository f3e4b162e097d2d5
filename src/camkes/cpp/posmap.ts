import type { SourcePos } from '../../diagnostics';
import { avoidPaste } from './lexer';
import type { Tok } from './token';

/** The macro expansion an output position came from. */
export interface MacroSite {
  /** The outermost macro invoked in the user's text. */
  readonly name: string;
  /** Where that macro was defined (its name in the #define). */
  readonly defPos: SourcePos;
  /** Where the token itself is spelled (inside some macro's replacement list). */
  readonly spelling: SourcePos;
}

/** A position in a user's file; `macro` is set for text produced by a macro expansion. */
export interface MappedPos extends SourcePos {
  readonly macro?: MacroSite;
}

/**
 * Maps offsets in preprocessed text back to the user's files. One segment per output token;
 * `pos` is a binary search, so a lexer can call it on every token start.
 */
export class PositionMap {
  constructor(
    private readonly starts: Int32Array,
    private readonly toks: readonly Tok[],
    private readonly textLength: number,
    /** Position reported for the end of the text (the end of the main file). */
    readonly end: SourcePos,
  ) {}

  get segments(): number {
    return this.toks.length;
  }

  pos(offset: number): MappedPos {
    if (this.toks.length === 0 || offset >= this.textLength) return this.end;
    let lo = 0;
    let hi = this.toks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const t = this.toks[lo];
    const o = t.origin;
    if (o) return { file: o.site.file, line: o.site.line, col: o.site.col, macro: { name: o.name, defPos: o.def, spelling: t.pos } };
    const delta = Math.max(0, offset - this.starts[lo]);
    return delta === 0 ? t.pos : { file: t.pos.file, line: t.pos.line, col: t.pos.col + delta };
  }
}

/**
 * Prints tokens like `cpp -P`: a newline where the user's text started a new line, one space
 * where gcc would print one (whitespace, padding, or two tokens that would otherwise lex as one).
 */
export class OutputBuilder {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private readonly toks: Tok[] = [];
  private length = 0;
  private prev: Tok | null = null;
  private source: Tok | null = null;
  private afterPadding = false;

  /** `newline`: the token (or the macro invocation it came from) starts a line of the user's text. */
  add(t: Tok, newline: boolean): void {
    if (t.kind === 'pad') {
      if (!this.afterPadding) this.source = null;
      this.afterPadding = true;
      if (this.source === null || (!this.source.ws && !t.padSrc)) this.source = t.padSrc ?? null;
      return;
    }
    let sep = '';
    if (this.prev) {
      if (newline) sep = '\n';
      else {
        const space = this.afterPadding ? (this.source ?? t).ws : t.ws;
        if (space || avoidPaste(this.prev, t)) sep = ' ';
      }
    }
    this.afterPadding = false;
    this.source = null;
    if (sep) this.parts.push(sep);
    this.length += sep.length;
    this.starts.push(this.length);
    this.toks.push(t);
    this.parts.push(t.text);
    this.length += t.text.length;
    this.prev = t;
  }

  finish(end: SourcePos): { text: string; map: PositionMap } {
    if (this.prev) this.parts.push('\n');
    const text = this.parts.join('');
    return { text, map: new PositionMap(new Int32Array(this.starts), this.toks, this.prev ? this.length : 0, end) };
  }
}
