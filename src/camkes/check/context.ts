/**
 * What every check writes to: the diagnostics found so far and the options of this run.
 * Checks never throw for bad input; they record and carry on where the model still makes sense.
 */
import { diagnostic, type Diagnostic, type SourcePos } from '../../diagnostics';

export type Arch = 'x86' | 'arm';

export interface CheckOptions {
  /** Warnings become errors (`vmconf check --strict`). */
  readonly strict?: boolean;
  /**
   * Architecture of the board the app is built for. Only the x86 guest naming rule
   * (`InitI` / `vmI`) depends on it; when absent it is inferred from the spec (an instance
   * of a component named `Init<N>` means the x86 VM macros are in use).
   */
  readonly arch?: Arch;
}

export class Sink {
  readonly list: Diagnostic[] = [];
  constructor(readonly strict: boolean) {}

  /** A diagnostic raised elsewhere (loader, resolver), kept with its notes. */
  add(d: Diagnostic): void {
    this.list.push(d);
  }

  error(pos: SourcePos, message: string): void {
    this.list.push(diagnostic('error', pos, message));
  }

  /** A rule the documents state but upstream's tools do not enforce. */
  warn(pos: SourcePos, message: string): void {
    this.list.push(diagnostic(this.strict ? 'error' : 'warning', pos, message));
  }

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }
}

/** Position order (file, line, column); ties keep the order found (Array.prototype.sort is stable). */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  if (a.pos.file !== b.pos.file) return a.pos.file < b.pos.file ? -1 : 1;
  return a.pos.line - b.pos.line || a.pos.col - b.pos.col;
}
