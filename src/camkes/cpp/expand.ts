import { diagnostic, errorAt, type SourcePos } from '../../diagnostics';
import { lexPasted } from './lexer';
import { stringifyText, type Macro } from './macro';
import { AVOID_PASTE, copyTok, eofTok, isPunct, padding, tok, type Origin, type Tok } from './token';

// The macro expander follows gcc's libcpp (macro.cc: cpp_get_token_1, enter_macro_context,
// funlike_invocation_p, collect_args, replace_args, paste_all_tokens) rather than the
// standard's abstract hide sets, because the reference behaviour is what `cpp` prints: a macro
// is disabled while its expansion context is on the stack; a name read while its macro is
// disabled is painted (NO_EXPAND) for good; padding tokens carry the whitespace that
// stringizing sees.

interface Ctx {
  readonly macro: Macro | null;
  /** The invocation whose replacement list this is (for tokens made by ## and for errors). */
  readonly origin?: Origin;
  readonly toks: readonly Tok[];
  i: number;
}

/** Guards against inputs that would exhaust memory or the JS stack rather than fail cleanly. */
// A 64-VM assembly pushes about 23 000 tokens; this leaves room for ~40 times that.
const MAX_EXPANDED_TOKENS = 1_000_000;
const MAX_ARG_NESTING = 256;
const AVOID_PASTE_CONTINUE: Tok = { ...AVOID_PASTE, pasteLeft: true };

export abstract class Expander {
  protected readonly ctxs: Ctx[] = [];
  protected readonly macros = new Map<string, Macro>();
  /** gcc prevent_expansion: names are returned unexpanded (while collecting arguments). */
  protected preventExpansion = 0;
  /** gcc parsing_args: 1 while looking for the `(` after a function-like macro name, 2 inside its arguments. */
  protected parsingArgs = 0;
  protected inDirective = false;
  /** gcc directive_wants_padding (#include): keep the left padding of arguments. */
  protected directiveWantsPadding = false;
  private budget = MAX_EXPANDED_TOKENS;
  private argNesting = 0;

  /** Next token of the current file, after directives; an 'eof' token is returned again and again. */
  protected abstract lexBase(): Tok;
  /** Puts the last token lexBase returned back. */
  protected abstract backupBase(): void;
  /** The one-token expansion of a built-in macro such as __LINE__. */
  protected abstract builtin(m: Macro, name: Tok): Tok;
  protected abstract warn(pos: SourcePos, message: string): void;

  /** Where a token should be reported: its macro invocation if it was spelled in a macro body. */
  posOf(t: Tok): SourcePos {
    return t.origin ? t.origin.site : t.pos;
  }

  /** gcc cpp_get_token_1: the next token, macro-expanded unless expansion is prevented. */
  protected getToken(): Tok {
    for (;;) {
      let result: Tok;
      const ctx = this.ctxs.length > 0 ? this.ctxs[this.ctxs.length - 1] : null;
      if (ctx === null) result = this.lexBase();
      else if (ctx.i < ctx.toks.length) {
        result = ctx.toks[ctx.i];
        if (result.kind !== 'eof') ctx.i++;
        if (result.pasteLeft) {
          this.pasteAll(ctx, result);
          if (this.inDirective) continue;
          return padding(result);
        }
      } else {
        this.popContext();
        if (this.inDirective) continue;
        return AVOID_PASTE;
      }
      if (result.kind !== 'id' || result.noExpand) return result;
      const m = this.macros.get(result.text);
      if (m === undefined) return result;
      if (m.disabled) {
        const painted = copyTok(result);
        painted.noExpand = true;
        return painted;
      }
      if (this.preventExpansion > 0) return result;
      if (this.enterMacro(m, result)) {
        if (this.inDirective) continue;
        return padding(result);
      }
      return result;
    }
  }

  protected pushTokens(macro: Macro | null, toks: readonly Tok[], origin?: Origin): void {
    this.budget -= toks.length;
    if (this.budget < 0) throw errorAt(toks[0]?.pos ?? { file: '', line: 1, col: 1 }, `macro expansion exceeds ${MAX_EXPANDED_TOKENS} tokens (runaway recursion?)`);
    this.ctxs.push({ macro, toks, i: 0, origin });
  }

  private popContext(): void {
    const c = this.ctxs.pop()!;
    const prev = this.ctxs.length > 0 ? this.ctxs[this.ctxs.length - 1].macro : null;
    if (c.macro && prev !== c.macro) c.macro.disabled = false;
  }

  private backup(): void {
    if (this.ctxs.length > 0) this.ctxs[this.ctxs.length - 1].i--;
    else this.backupBase();
  }

  private enterMacro(m: Macro, name: Tok): boolean {
    const origin: Origin = name.origin ?? { name: m.name, site: name.pos, def: m.def };
    if (m.builtin) {
      this.pushTokens(null, [withOrigin(this.builtin(m, name), origin)]);
      return true;
    }
    if (m.params !== null) {
      this.preventExpansion++;
      this.parsingArgs = 1;
      let call: { args: Tok[][]; vaOmitted: boolean } | null;
      try {
        call = this.funlikeInvocation(m, name);
      } finally {
        this.parsingArgs = 0;
        this.preventExpansion--;
      }
      if (call === null) return false;
      if (m.params.length > 0) this.replaceArgs(m, origin, call.args, call.vaOmitted);
    }
    m.disabled = true;
    if (m.params === null || m.params.length === 0) this.pushTokens(m, m.body.map((t) => withOrigin(t, origin)), origin);
    return true;
  }

  private funlikeInvocation(m: Macro, name: Tok): { args: Tok[][]; vaOmitted: boolean } | null {
    let pad: Tok | null = null;
    let tok: Tok;
    for (;;) {
      tok = this.getToken();
      if (tok.kind !== 'pad') break;
      if (pad === null || !pad.padSrc || (!pad.padSrc.ws && !tok.padSrc)) pad = tok;
    }
    if (isPunct(tok, '(')) {
      this.parsingArgs = 2;
      return this.collectArgs(m, name);
    }
    // An end of file is not consumed (it is sticky), so only real tokens are backed up.
    if (tok.kind !== 'eof' || tok.endarg) {
      if (tok.kind !== 'eof') this.backup();
      if (pad) this.ctxs.push({ macro: null, toks: [pad], i: 0 });
    }
    return null;
  }

  private collectArgs(m: Macro, name: Tok): { args: Tok[][]; vaOmitted: boolean } {
    const paramc = m.params!.length;
    const args: Tok[][] = [];
    let argc = 0;
    let tok: Tok;
    do {
      argc++;
      const arg: Tok[] = [];
      let depth = 0;
      for (;;) {
        tok = this.getToken();
        if (tok.kind === 'pad') {
          if (arg.length === 0) continue;
        } else if (isPunct(tok, '(')) depth++;
        else if (isPunct(tok, ')')) {
          if (depth-- === 0) break;
        } else if (isPunct(tok, ',')) {
          if (depth === 0 && !(m.variadic && argc === paramc)) break;
        } else if (tok.kind === 'eof') break;
        arg.push(tok);
      }
      while (arg.length > 0 && arg[arg.length - 1].kind === 'pad') arg.pop();
      args.push(arg);
    } while (!isPunct(tok, ')') && tok.kind !== 'eof');

    const at = this.posOf(name);
    const definedHere = [diagnostic('note', m.def, `macro "${m.name}" defined here`)];
    if (tok.kind === 'eof') throw errorAt(at, `unterminated argument list invoking macro "${m.name}"`);
    if (argc === 1 && paramc === 0 && args[0].length === 0) argc = 0;
    if (argc < paramc && !(argc + 1 === paramc && m.variadic)) {
      throw errorAt(at, `macro "${m.name}" requires ${paramc} arguments, but only ${argc} given`, definedHere);
    }
    if (argc > paramc) throw errorAt(at, `macro "${m.name}" passed ${argc} arguments, but takes just ${paramc}`, definedHere);
    // GNU `, ## __VA_ARGS__`: the comma goes only when the variable arguments were left out
    // altogether (or the macro's only parameter is variadic and its argument is empty).
    const vaOmitted = m.variadic && (argc < paramc || (argc === 1 && args[0].length === 0));
    while (args.length < paramc) args.push([]);
    return { args, vaOmitted };
  }

  private replaceArgs(m: Macro, origin: Origin, args: Tok[][], vaOmitted: boolean): void {
    const body = m.body;
    const expanded: (Tok[] | undefined)[] = [];
    const stringified: (Tok | undefined)[] = [];
    const out: Tok[] = [];
    const lastParam = m.params!.length - 1;
    const pads = (m.pads ??= body.map((t) => (t.param === undefined ? null : padding(t))));
    for (let k = 0; k < body.length; k++) {
      const src = body[k];
      if (src.param === undefined) {
        out.push(withOrigin(src, origin));
        continue;
      }
      const afterPaste = k > 0 && body[k - 1].pasteLeft === true;
      const arg = args[src.param];
      let from: readonly Tok[];
      let pasteFlag = -1;
      if (src.stringify) {
        const text = stringifyText(arg, () => this.warn(origin.site, "invalid string literal, ignoring final '\\'"));
        from = [(stringified[src.param] ??= tok('str', text, false, false, src.pos, { origin }))];
      } else if (src.pasteLeft) from = arg;
      else if (afterPaste) {
        from = arg;
        if (out.length > 0) {
          const last = out.length - 1;
          if (isPunct(out[last], ',') && m.variadic && src.param === lastParam) {
            if (vaOmitted) out.pop();
            else pasteFlag = last;
          } else if (from.length === 0) pasteFlag = last;
        }
      } else from = (expanded[src.param] ??= this.expandArg(arg, src));

      if ((!this.inDirective || this.directiveWantsPadding) && k > 0 && !afterPaste) out.push(pads[k]!);
      if (from.length > 0) {
        for (const t of from) out.push(t);
        if (src.pasteLeft) pasteFlag = out.length - 1;
      }
      if (!this.inDirective && !src.pasteLeft) out.push(AVOID_PASTE);
      if (pasteFlag >= 0) {
        const flagged = copyTok(out[pasteFlag]);
        flagged.pasteLeft = src.pasteLeft === true;
        out[pasteFlag] = flagged;
      }
    }
    this.pushTokens(m, out, origin);
  }

  /** gcc expand_arg: fully macro-expand one argument on its own. */
  private expandArg(arg: readonly Tok[], param: Tok): Tok[] {
    if (++this.argNesting > MAX_ARG_NESTING) {
      throw errorAt(this.posOf(arg[0] ?? param), `macro arguments nested more than ${MAX_ARG_NESTING} deep`);
    }
    const depth = this.ctxs.length;
    this.pushTokens(null, [...arg, eofTok(param.pos, true)]);
    const out: Tok[] = [];
    for (;;) {
      const t = this.getToken();
      if (t.kind === 'eof') break;
      out.push(t);
    }
    this.ctxs.length = depth;
    this.argNesting--;
    return out;
  }

  /** gcc paste_all_tokens: `lhs ## rhs [## ...]`, the result pushed as its own context. */
  private pasteAll(ctx: Ctx, first: Tok): void {
    let lhs = first;
    let rhs: Tok;
    do {
      if (ctx.i >= ctx.toks.length) break;
      rhs = ctx.toks[ctx.i++];
      if (rhs.kind === 'pad') {
        rhs = AVOID_PASTE_CONTINUE; // skip avoid-paste padding and keep pasting
        continue;
      }
      const kind = lexPasted(lhs.text, rhs.text);
      if (kind === null) {
        throw errorAt(ctx.origin?.site ?? this.posOf(lhs), `pasting "${lhs.text}" and "${rhs.text}" does not give a valid preprocessing token`);
      }
      lhs = tok(kind, lhs.text + rhs.text, lhs.ws, false, lhs.pos, { origin: lhs.origin ?? rhs.origin ?? ctx.origin });
    } while (rhs.pasteLeft);
    this.pushTokens(null, [lhs]);
  }
}

function withOrigin(t: Tok, origin: Origin): Tok {
  const c = copyTok(t);
  c.origin = origin;
  return c;
}
