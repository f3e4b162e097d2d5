import type { SourcePos } from '../../diagnostics';

/**
 * Preprocessing-token kinds. 'header' is a `<...>` header-name (only lexed after `#include`);
 * 'pad' is gcc's CPP_PADDING: it carries no text and only decides the whitespace a stringized
 * argument gets, exactly as gcc's padding tokens do.
 */
export type TokKind = 'id' | 'num' | 'str' | 'chr' | 'punct' | 'other' | 'header' | 'pad' | 'eof';

/** The outermost macro invocation a token came from (for positions in expanded text). */
export interface Origin {
  readonly name: string;
  /** Where the macro name was written in the file that invoked it. */
  readonly site: SourcePos;
  /** Where the macro was defined (position of its name in the #define). */
  readonly def: SourcePos;
}

export interface Tok {
  readonly kind: TokKind;
  readonly text: string;
  /** gcc PREV_WHITE: whitespace (or a comment) precedes this token. */
  readonly ws: boolean;
  /** First token of a logical line. */
  readonly bol: boolean;
  /** Where the token is spelled. */
  readonly pos: SourcePos;
  /** gcc NO_EXPAND: the name was seen while its macro was disabled ("painted blue"). */
  readonly noExpand?: boolean;
  /** gcc PASTE_LEFT: this token is the left operand of `##`. */
  readonly pasteLeft?: boolean;
  /** In a macro body: index of the parameter this token names. */
  readonly param?: number;
  /** In a macro body: the parameter is the operand of `#`. */
  readonly stringify?: boolean;
  /** For 'pad' tokens: the token whose whitespace the padding stands for (null = avoid-paste). */
  readonly padSrc?: Tok | null;
  /** Set on tokens that were spelled in a macro definition (or made by # and ##). */
  readonly origin?: Origin;
  /** The end-of-argument marker (gcc's endarg), as opposed to end of line or file. */
  readonly endarg?: boolean;
  /** A lexer warning to report if this token is used (e.g. an unterminated quote). */
  readonly warn?: string;
}

export function isHash(t: Tok): boolean {
  return t.kind === 'punct' && (t.text === '#' || t.text === '%:');
}

export function isPaste(t: Tok): boolean {
  return t.kind === 'punct' && (t.text === '##' || t.text === '%:%:');
}

export function isPunct(t: Tok, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}

/**
 * Makes a token with every field present, in one order, so that all tokens share one hidden
 * class (V8 then keeps property access and `{...t, x}` copies monomorphic and fast).
 */
export function tok(kind: TokKind, text: string, ws: boolean, bol: boolean, pos: SourcePos, extra?: Partial<Tok>): Tok {
  const t: Tok = {
    kind, text, ws, bol, pos,
    noExpand: undefined, pasteLeft: undefined, param: undefined, stringify: undefined,
    padSrc: null, origin: undefined, endarg: undefined, warn: undefined,
  };
  return extra ? Object.assign(t, extra) : t;
}

const NOWHERE: SourcePos = { file: '', line: 0, col: 0 };
/** gcc's pfile->avoid_paste: padding that stands for no whitespace. Shared, as in gcc. */
export const AVOID_PASTE: Tok = tok('pad', '', false, false, NOWHERE);

/** Padding standing for the whitespace before `src` (a macro name or a parameter in a body). */
export function padding(src: Tok): Tok {
  const p = copyTok(AVOID_PASTE);
  p.padSrc = src;
  return p;
}

export type MutableTok = { -readonly [K in keyof Tok]: Tok[K] };

/** A fresh copy to adjust one or two fields of (faster than `{...t}` on hot paths). */
export function copyTok(t: Tok): MutableTok {
  return {
    kind: t.kind, text: t.text, ws: t.ws, bol: t.bol, pos: t.pos,
    noExpand: t.noExpand, pasteLeft: t.pasteLeft, param: t.param, stringify: t.stringify,
    padSrc: t.padSrc, origin: t.origin, endarg: t.endarg, warn: t.warn,
  };
}

export function eofTok(pos: SourcePos, endarg = false): Tok {
  return tok('eof', '', false, false, pos, endarg ? { endarg } : undefined);
}
