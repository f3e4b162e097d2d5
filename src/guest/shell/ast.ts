import type { SourcePos } from '../../diagnostics';

/**
 * The syntax tree of a busybox `ash` script or command line. Every node keeps the script
 * position it came from, so an error while running an init script can name the script line.
 */

/** A piece of a word. Quoting is kept because it decides field splitting and quote removal. */
export type WordPart =
  /** Unquoted text; `quoted` marks a backslash-escaped character (`\ `), which is literal. */
  | { readonly kind: 'literal'; readonly value: string; readonly quoted: boolean; readonly pos: SourcePos }
  | { readonly kind: 'single'; readonly value: string; readonly pos: SourcePos }
  | { readonly kind: 'double'; readonly parts: readonly WordPart[]; readonly pos: SourcePos }
  | ParamPart
  | { readonly kind: 'command'; readonly program: Program; readonly backquote: boolean; readonly pos: SourcePos }
  /** `$((...))`: the expression text, expanded then evaluated when the word is expanded. */
  | { readonly kind: 'arith'; readonly expr: Word; readonly pos: SourcePos };

export type ParamOp = ':-' | '-' | ':=' | '=' | ':?' | '?' | ':+' | '+' | '%' | '%%' | '#' | '##';

/** `$name`, `$1`, `$?`, `${name}`, `${#name}`, `${name:-word}`... */
export interface ParamPart {
  readonly kind: 'param';
  /** A variable name, a positional digit string, or one of `@ * # ? - $ ! 0`. */
  readonly name: string;
  readonly braced: boolean;
  /** `${#name}`. */
  readonly length?: boolean;
  readonly op?: ParamOp;
  /** The word after the operator (may be empty). */
  readonly arg?: Word;
  readonly pos: SourcePos;
}

export interface Word {
  readonly parts: readonly WordPart[];
  readonly pos: SourcePos;
  /** The word as written in the script. */
  readonly text: string;
}

export interface Assignment {
  readonly name: string;
  readonly value: Word;
  readonly pos: SourcePos;
}

export type RedirectOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-';

export interface Redirect {
  readonly op: RedirectOp;
  /** The explicit descriptor (`2>`), or undefined for the default (0 for input, 1 for output). */
  readonly fd?: number;
  /** File name, descriptor number (`>&2`, `2>&1`) or `-`; for here-docs, the delimiter word. */
  readonly target: Word;
  /** Here-doc body; `expand` is false when the delimiter was quoted (`<<'EOF'`). */
  readonly heredoc?: { readonly body: Word; readonly expand: boolean };
  readonly pos: SourcePos;
}

export interface SimpleCommand {
  readonly kind: 'simple';
  readonly assignments: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface IfClause {
  readonly kind: 'if';
  /** `if`/`elif` branches in order. */
  readonly branches: readonly { readonly condition: List; readonly body: List; readonly pos: SourcePos }[];
  readonly elseBody?: List;
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface ForClause {
  readonly kind: 'for';
  readonly variable: string;
  /** Undefined for `for x; do` / `for x do`, which iterate over "$@". */
  readonly items?: readonly Word[];
  readonly body: List;
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface WhileClause {
  readonly kind: 'while';
  /** `until` loops run while the condition fails. */
  readonly until: boolean;
  readonly condition: List;
  readonly body: List;
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface CaseClause {
  readonly kind: 'case';
  readonly subject: Word;
  readonly items: readonly { readonly patterns: readonly Word[]; readonly body?: List; readonly pos: SourcePos }[];
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface BraceGroup {
  readonly kind: 'brace';
  readonly body: List;
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface Subshell {
  readonly kind: 'subshell';
  readonly body: List;
  readonly redirects: readonly Redirect[];
  readonly pos: SourcePos;
}

export interface FunctionDef {
  readonly kind: 'function';
  readonly name: string;
  readonly body: Command;
  readonly pos: SourcePos;
}

export type Command = SimpleCommand | IfClause | ForClause | WhileClause | CaseClause | BraceGroup | Subshell | FunctionDef;

export interface Pipeline {
  readonly kind: 'pipeline';
  /** `! cmd`: the exit status is inverted. */
  readonly bang: boolean;
  readonly commands: readonly Command[];
  readonly pos: SourcePos;
}

export interface AndOr {
  readonly kind: 'and-or';
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
  readonly pos: SourcePos;
}

/** One item of a list: an and-or list, run in the background when followed by `&`. */
export interface ListItem {
  readonly command: AndOr;
  readonly background: boolean;
  readonly pos: SourcePos;
}

export interface List {
  readonly kind: 'list';
  readonly items: readonly ListItem[];
  readonly pos: SourcePos;
}

/** A whole script or command line. */
export interface Program {
  readonly kind: 'program';
  readonly file: string;
  readonly body: List;
}
