/** A position in a user's file. Lines and columns count from 1, as editors show them. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly severity: Severity;
  readonly pos: SourcePos;
  readonly message: string;
  /** Further lines (for example "in expansion of macro X" or "expected one of ..."). */
  readonly notes?: readonly Diagnostic[];
}

export function diagnostic(severity: Severity, pos: SourcePos, message: string, notes?: Diagnostic[]): Diagnostic {
  return notes && notes.length ? { severity, pos, message, notes } : { severity, pos, message };
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** `path:line:col: error: message`, followed by indented notes. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${formatPos(d.pos)}: ${d.severity}: ${d.message}`;
  if (!d.notes || d.notes.length === 0) return head;
  return [head, ...d.notes.map((n) => formatDiagnostic(n))].join('\n');
}

/**
 * Thrown when input is rejected. Carries every diagnostic found so far (a checker reports all
 * errors, a parser usually the first). The CLI prints them; nothing turns them into stack traces.
 */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: Diagnostic | readonly Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = list;
  }
}

export function errorAt(pos: SourcePos, message: string, notes?: Diagnostic[]): DiagnosticError {
  return new DiagnosticError(diagnostic('error', pos, message, notes));
}

/** Line/column of a character offset in a text, for readers that work on offsets. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(readonly file: string, text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  pos(offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: offset - this.starts[lo] + 1 };
  }
}
