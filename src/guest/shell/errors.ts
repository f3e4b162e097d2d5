import { errorAt, type DiagnosticError, type SourcePos } from '../../diagnostics';

/**
 * Syntax errors in busybox ash's words: ash prints `sh: syntax error: unexpected "fi"`
 * (busybox `shell/ash.c`, raise_error_unexpected_syntax / tokname). Our diagnostic keeps that
 * text and puts the script position in front: `S90camkes_init:4:1: error: syntax error: ...`.
 * The prefix ash itself uses (`sh: `, or `<script>: line N: ` in newer busybox) depends on the
 * busybox version and is UNCONFIRMED for the tutorial's buildroot; `ashMessage` chooses `sh: `.
 */
export function syntaxError(pos: SourcePos, message: string): DiagnosticError {
  return errorAt(pos, `syntax error: ${message}`);
}

/** What ash calls a token in messages: end of file, newline, redirection and word unquoted; the rest quoted. */
export function tokenName(t: { kind: string; op?: string; word?: { text: string } }, reserved?: string): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'newline': return 'newline';
    case 'redir': return 'redirection';
    case 'word': return reserved ? `"${reserved}"` : 'word';
    default: return `"${t.op}"`;
  }
}

/** `unexpected X` or `unexpected X (expecting "Y")`. */
export function unexpected(pos: SourcePos, found: string, expecting?: string): DiagnosticError {
  return syntaxError(pos, `unexpected ${found}${expecting ? ` (expecting ${expecting})` : ''}`);
}

/** The line busybox ash itself would print for a diagnostic message from this module. */
export function ashMessage(message: string): string {
  return `sh: ${message}`;
}
