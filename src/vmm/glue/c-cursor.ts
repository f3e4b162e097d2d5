import { errorAt, type DiagnosticError, type SourcePos } from '../../diagnostics';
import type { CToken } from './c-lexer';

/** A read position in a token list, with the error helpers every C parsing step shares. */
export class TokenCursor {
  i = 0;
  constructor(readonly toks: readonly CToken[], private readonly endPos: SourcePos) {}

  peek(k = 0): CToken | undefined {
    return this.toks[this.i + k];
  }
  atEnd(): boolean {
    return this.i >= this.toks.length;
  }
  /** True if the next token is the punctuator or keyword `text`. */
  is(text: string, k = 0): boolean {
    const t = this.toks[this.i + k];
    return t !== undefined && (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  next(what: string): CToken {
    const t = this.toks[this.i];
    if (!t) throw this.error(`expected ${what}`);
    this.i++;
    return t;
  }
  accept(text: string): CToken | undefined {
    if (!this.is(text)) return undefined;
    return this.toks[this.i++];
  }
  expect(text: string, context = ''): CToken {
    if (this.is(text)) return this.toks[this.i++];
    throw this.error(`expected '${text}'${context ? ' ' + context : ''}`);
  }
  ident(what: string): CToken {
    const t = this.toks[this.i];
    if (!t || t.kind !== 'ident') throw this.error(`expected ${what}`);
    this.i++;
    return t;
  }
  /** Position of the next token, or of the end of the input. */
  pos(): SourcePos {
    return this.toks[this.i]?.pos ?? this.endPos;
  }
  /** "expected X" at the next token, naming what was found instead. */
  error(message: string): DiagnosticError {
    const t = this.toks[this.i];
    const found = t ? (t.kind === 'string' ? 'string literal' : `'${t.text}'`) : 'end of input';
    const notes = t?.macro
      ? [{ severity: 'note' as const, pos: t.macro.defPos, message: `in expansion of macro '${t.macro.name}'` }]
      : undefined;
    return errorAt(this.pos(), `${message}, found ${found}`, notes);
  }
  /** Skips a balanced group starting at an opening bracket; returns the tokens inside it. */
  skipBalanced(): CToken[] {
    const open = this.next('an opening bracket');
    const close = ({ '(': ')', '[': ']', '{': '}' } as Record<string, string>)[open.text];
    if (!close) throw errorAt(open.pos, `expected '(', '[' or '{'`);
    const inner: CToken[] = [];
    const stack = [close];
    while (stack.length) {
      const t = this.toks[this.i];
      if (!t) throw errorAt(open.pos, `unbalanced '${open.text}': no matching '${close}' before end of input`);
      this.i++;
      if (t.kind === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(({ '(': ')', '[': ']', '{': '}' } as Record<string, string>)[t.text]);
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (t.text !== stack[stack.length - 1]) throw errorAt(t.pos, `expected '${stack[stack.length - 1]}' before '${t.text}'`);
          stack.pop();
          if (stack.length === 0) break;
        }
      }
      inner.push(t);
    }
    return inner;
  }
}
