import { DiagnosticError, errorAt } from '../../diagnostics';
import type {
  AndOr, Assignment, CaseClause, Command, ForClause, FunctionDef, IfClause, List, ListItem, Pipeline, Program, Redirect,
  SimpleCommand, WhileClause, Word,
} from './ast';
import { syntaxError, tokenName, unexpected } from './errors';
import { ShellLexer, type PendingHeredoc, type Token } from './lexer';

/** Reserved words (ash's keyword table), recognised only where a command may start. */
const RESERVED = new Set(['!', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while', '{', '}']);
/** Words that end a compound list once it has at least one command (ash `tokendlist`). */
const LIST_END = new Set(['do', 'done', 'elif', 'else', 'esac', 'fi', 'then', '}']);

/** `top`: a script; `compound`: must hold a command; `case`/`subst`: may be empty. */
type ListMode = 'top' | 'compound' | 'case' | 'subst';

/**
 * Parses a busybox ash script or command line into a Program. Syntax errors are
 * DiagnosticErrors in ash's wording, positioned at the offending token.
 */
export function parseShell(text: string, file: string): Program {
  try {
    return new ShellParser(new ShellLexer(text, file), file).program();
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    if (e instanceof RangeError) throw errorAt({ file, line: 1, col: 1 }, 'syntax error: input nested too deeply');
    throw e;
  }
}

class ShellParser {
  private readonly buf: Token[] = [];

  constructor(private readonly lx: ShellLexer, private readonly file: string) {
    lx.parseSubcommand = (l) => new ShellParser(l, file).substitution();
    lx.parseBackquoteProgram = (sub) => new ShellParser(sub, file).program();
  }

  private peek(k = 0): Token {
    while (this.buf.length <= k) this.buf.push(this.lx.next());
    return this.buf[k];
  }
  private next(): Token {
    const t = this.peek();
    this.buf.shift();
    return t;
  }
  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.op === op;
  }
  /** The reserved word a token spells, if it is one: a single unquoted literal. */
  private reserved(t: Token): string | undefined {
    if (t.kind !== 'word' || t.word.parts.length !== 1) return undefined;
    const p = t.word.parts[0];
    return p.kind === 'literal' && !p.quoted && RESERVED.has(p.value) ? p.value : undefined;
  }
  private unexpectedToken(t: Token, expecting?: string): DiagnosticError {
    return unexpected(t.pos, tokenName(t, this.reserved(t)), expecting);
  }
  private expectReserved(word: string): Token {
    const t = this.next();
    if (this.reserved(t) !== word) throw this.unexpectedToken(t, `"${word}"`);
    return t;
  }
  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  program(): Program {
    const body = this.list('top');
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpectedToken(t);
    return { kind: 'program', file: this.file, body };
  }

  /** The commands of `$(...)`, through its closing parenthesis. */
  substitution(): Program {
    const body = this.list('subst');
    const t = this.next();
    if (!this.isOp(t, ')')) throw this.unexpectedToken(t, '")"');
    return { kind: 'program', file: this.file, body };
  }

  private list(mode: ListMode): List {
    const items: ListItem[] = [];
    const pos = this.peek().pos;
    while (true) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (mode !== 'top' && (items.length > 0 || mode !== 'compound')) {
        const rw = this.reserved(t);
        if ((rw && LIST_END.has(rw)) || this.isOp(t, ')') || this.isOp(t, ';;')) break;
      }
      const command = this.andOr();
      const sep = this.peek();
      if (this.isOp(sep, ';') || this.isOp(sep, '&')) {
        this.next();
        items.push({ command, background: this.isOp(sep, '&'), pos: command.pos });
        continue;
      }
      items.push({ command, background: false, pos: command.pos });
      if (sep.kind === 'newline') continue;
      if (mode === 'top' && sep.kind !== 'eof') throw this.unexpectedToken(sep);
      break;
    }
    return { kind: 'list', items, pos };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    while (this.isOp(this.peek(), '&&') || this.isOp(this.peek(), '||')) {
      const op = (this.next() as { op: '&&' | '||' }).op;
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { kind: 'and-or', first, rest, pos: first.pos };
  }

  private pipeline(): Pipeline {
    const pos = this.peek().pos;
    const bang = this.reserved(this.peek()) === '!';
    if (bang) this.next();
    const commands = [this.command()];
    while (this.isOp(this.peek(), '|')) {
      this.next();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { kind: 'pipeline', bang, commands, pos };
  }

  private command(): Command {
    const t = this.peek();
    const rw = this.reserved(t);
    let c: Command;
    switch (rw) {
      case 'if': c = this.ifClause(); break;
      case 'while': case 'until': c = this.whileClause(rw === 'until'); break;
      case 'for': c = this.forClause(); break;
      case 'case': c = this.caseClause(); break;
      case '{': {
        this.next();
        const body = this.list('compound');
        this.expectReserved('}');
        c = { kind: 'brace', body, redirects: [], pos: t.pos };
        break;
      }
      case undefined:
        if (this.isOp(t, '(')) {
          this.next();
          const body = this.list('compound');
          const close = this.next();
          if (!this.isOp(close, ')')) throw this.unexpectedToken(close, '")"');
          c = { kind: 'subshell', body, redirects: [], pos: t.pos };
          break;
        }
        if (t.kind === 'word' && this.isOp(this.peek(1), '(')) return this.functionDef();
        return this.simpleCommand();
      default:
        throw this.unexpectedToken(t);
    }
    const redirects: Redirect[] = [];
    while (this.peek().kind === 'redir') redirects.push(this.redirect());
    return redirects.length ? { ...c, redirects } : c;
  }

  private functionDef(): FunctionDef {
    const nameTok = this.next() as Extract<Token, { kind: 'word' }>;
    const p = nameTok.word.parts;
    if (p.length !== 1 || p[0].kind !== 'literal' || p[0].quoted || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p[0].value)) {
      throw syntaxError(nameTok.pos, 'bad function name');
    }
    this.next(); // '('
    const close = this.next();
    if (!this.isOp(close, ')')) throw this.unexpectedToken(close, '")"');
    this.skipNewlines();
    return { kind: 'function', name: p[0].value, body: this.command(), pos: nameTok.pos };
  }

  private simpleCommand(): SimpleCommand {
    const pos = this.peek().pos;
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    while (true) {
      const t = this.peek();
      if (t.kind === 'redir') redirects.push(this.redirect());
      else if (t.kind === 'word') {
        this.next();
        const a = words.length === 0 ? asAssignment(t.word) : undefined;
        if (a) assignments.push(a);
        else words.push(t.word);
      } else break;
    }
    if (!assignments.length && !words.length && !redirects.length) throw this.unexpectedToken(this.peek());
    return { kind: 'simple', assignments, words, redirects, pos };
  }

  private redirect(): Redirect {
    const r = this.next() as Extract<Token, { kind: 'redir' }>;
    const target = this.next();
    if (target.kind !== 'word') throw this.unexpectedToken(target);
    const base = { op: r.op, ...(r.fd !== undefined ? { fd: r.fd } : {}), target: target.word, pos: r.pos };
    if (r.op !== '<<' && r.op !== '<<-') return base;
    const quoted = target.word.parts.some((p) => p.kind !== 'literal' || p.quoted);
    const holder: PendingHeredoc = { delimiter: delimiterText(target.word), stripTabs: r.op === '<<-', expand: !quoted };
    this.lx.registerHeredoc(holder);
    // The body is read at the next newline; the getter sees it once the lexer has filled it in.
    return {
      ...base,
      get heredoc() {
        return { body: holder.body ?? { parts: [], pos: target.pos, text: '' }, expand: holder.expand };
      },
    };
  }

  private ifClause(): IfClause {
    const pos = this.next().pos;
    const branches: { condition: List; body: List; pos: typeof pos }[] = [];
    let branchPos = pos;
    while (true) {
      const condition = this.list('compound');
      this.expectReserved('then');
      branches.push({ condition, body: this.list('compound'), pos: branchPos });
      if (this.reserved(this.peek()) !== 'elif') break;
      branchPos = this.next().pos;
    }
    let elseBody: List | undefined;
    if (this.reserved(this.peek()) === 'else') {
      this.next();
      elseBody = this.list('compound');
    }
    this.expectReserved('fi');
    return { kind: 'if', branches, ...(elseBody ? { elseBody } : {}), redirects: [], pos };
  }

  private whileClause(until: boolean): WhileClause {
    const pos = this.next().pos;
    const condition = this.list('compound');
    this.expectReserved('do');
    const body = this.list('compound');
    this.expectReserved('done');
    return { kind: 'while', until, condition, body, redirects: [], pos };
  }

  private forClause(): ForClause {
    const pos = this.next().pos;
    const nameTok = this.next();
    const name = nameTok.kind === 'word' && nameTok.word.parts.length === 1 && nameTok.word.parts[0].kind === 'literal' && !nameTok.word.parts[0].quoted
      ? nameTok.word.parts[0].value : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw syntaxError(nameTok.pos, 'bad for loop variable');
    this.skipNewlines();
    let items: Word[] | undefined;
    if (this.reserved(this.peek()) === 'in') {
      this.next();
      items = [];
      while (this.peek().kind === 'word') items.push((this.next() as Extract<Token, { kind: 'word' }>).word);
      const sep = this.next();
      if (sep.kind !== 'newline' && !this.isOp(sep, ';')) throw this.unexpectedToken(sep);
    } else if (this.isOp(this.peek(), ';')) this.next();
    this.skipNewlines();
    this.expectReserved('do');
    const body = this.list('compound');
    this.expectReserved('done');
    return { kind: 'for', variable: name, ...(items ? { items } : {}), body, redirects: [], pos };
  }

  private caseClause(): CaseClause {
    const pos = this.next().pos;
    const subjectTok = this.next();
    if (subjectTok.kind !== 'word') throw this.unexpectedToken(subjectTok);
    this.skipNewlines();
    this.expectReserved('in');
    const items: CaseClause['items'][number][] = [];
    while (true) {
      this.skipNewlines();
      if (this.reserved(this.peek()) === 'esac') break;
      const itemPos = this.peek().pos;
      if (this.isOp(this.peek(), '(')) this.next();
      const patterns: Word[] = [];
      while (true) {
        const p = this.next();
        if (p.kind !== 'word') throw this.unexpectedToken(p);
        patterns.push(p.word);
        if (!this.isOp(this.peek(), '|')) break;
        this.next();
      }
      const close = this.next();
      if (!this.isOp(close, ')')) throw this.unexpectedToken(close, '")"');
      const body = this.list('case');
      items.push({ patterns, ...(body.items.length ? { body } : {}), pos: itemPos });
      if (this.isOp(this.peek(), ';;')) { this.next(); continue; }
      this.skipNewlines();
      if (this.reserved(this.peek()) !== 'esac') throw this.unexpectedToken(this.peek(), '"esac"');
    }
    this.expectReserved('esac');
    return { kind: 'case', subject: subjectTok.word, items, redirects: [], pos };
  }
}

function asAssignment(w: Word): Assignment | undefined {
  const first = w.parts[0];
  if (!first || first.kind !== 'literal' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!m) return undefined;
  const rest = first.value.slice(m[0].length);
  const valueParts = rest ? [{ ...first, value: rest }, ...w.parts.slice(1)] : w.parts.slice(1);
  return { name: m[1], value: { parts: valueParts, pos: w.pos, text: w.text.slice(m[0].length) }, pos: w.pos };
}

/** A here-doc delimiter after quote removal (`'EOF'`, `"EOF"`, `\EOF` all give EOF). */
function delimiterText(w: Word): string {
  return w.parts.map((p) => (p.kind === 'literal' || p.kind === 'single' ? p.value : p.kind === 'double' ? delimiterText({ ...w, parts: p.parts }) : '')).join('');
}
