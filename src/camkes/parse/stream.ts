/** Token cursor shared by the parser modules, with the "expected X, found Y" error wording. */
import { errorAt, type SourcePos } from '../../diagnostics';
import { lex, lexError, type PosOf, type Token } from '../lexer';
import type { Reference } from '../ast';

/** Deeper nesting is refused with a diagnostic instead of overflowing the JS stack. */
export const MAX_NESTING = 200;

export class Stream {
  private readonly toks: Token[];
  private i = 0;
  private depth = 0;

  constructor(text: string, readonly posOf: PosOf) {
    this.toks = lex(text);
  }

  peek(k = 0): Token {
    const t = this.toks[Math.min(this.i + k, this.toks.length - 1)];
    if (t.kind === 'error' && k === 0) lexError(t, this.posOf);
    return t;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  pos(t: Token = this.peek()): SourcePos {
    return this.posOf(t.offset);
  }

  /** Is the next token this punctuation or keyword? */
  is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'punct' || t.kind === 'kw') && t.text === text;
  }

  accept(text: string): Token | undefined {
    return this.is(text) ? this.next() : undefined;
  }

  expect(text: string, what = `'${text}'`): Token {
    if (this.is(text)) return this.next();
    return this.fail(what);
  }

  /** `id: ID | BUF` — `Buf` is the only keyword usable as a name. */
  isId(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'id' || (t.kind === 'kw' && t.text === 'Buf');
  }

  id(what = 'an identifier'): string {
    if (this.isId()) return this.next().text;
    return this.fail(what);
  }

  /** `reference := ID ("." ID)*` */
  reference(what = 'a name'): Reference {
    const pos = this.pos();
    const names = [this.id(what)];
    while (this.is('.') && this.isId(1)) {
      this.next();
      names.push(this.next().text);
    }
    if (this.is('.')) {
      this.next();
      this.fail('an identifier');
    }
    return { kind: 'reference', pos, names };
  }

  /** Runs a recursive rule, bounding the recursion depth. */
  nest<T>(rule: () => T): T {
    if (++this.depth > MAX_NESTING) {
      throw errorAt(this.pos(), `nesting deeper than ${MAX_NESTING} levels is not supported`);
    }
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }

  fail(expected: string): never {
    const t = this.peek();
    const hint = t.kind === 'eof' && expected.includes("'}'") ? ' (missing closing brace?)' : '';
    throw errorAt(this.pos(t), `expected ${expected}, found ${describe(t)}${hint}`);
  }
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'kw':
      return `keyword '${t.text}'`;
    case 'string':
      return `string "${t.text.length > 30 ? t.text.slice(0, 27) + '...' : t.text}"`;
    case 'angle':
      return `'<${t.text}>'`;
    default:
      return `'${t.text}'`;
  }
}
