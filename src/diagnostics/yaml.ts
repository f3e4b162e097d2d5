import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { diagnostic, DiagnosticError, type Diagnostic, type SourcePos } from './index';

/** A YAML file parsed with positions: `pos(node)` is where the node starts (line 1 col 1 for none). */
export interface PositionedYaml {
  readonly doc: Document.Parsed;
  readonly lc: LineCounter;
  pos(node: Node | null | undefined): SourcePos;
  /** The position of a character offset in the text. */
  at(offset: number): SourcePos;
}

/** Parses `text` (from `file`) keeping positions; its syntax errors come back as diagnostics, in file order. */
export function parseYamlPositioned(file: string, text: string): { yaml: PositionedYaml; errors: Diagnostic[] } {
  const lc = new LineCounter();
  // prettyErrors off: the message is the yaml package's wording alone; the position is ours.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePos => {
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  const yaml: PositionedYaml = { doc, lc, at, pos: (n) => at(n?.range?.[0] ?? 0) };
  return { yaml, errors: doc.errors.map((e) => diagnostic('error', at(e.pos[0]), e.message.split('\n')[0])) };
}

/** `parseYamlPositioned`, throwing every syntax error as one DiagnosticError. */
export function parseYaml(file: string, text: string): PositionedYaml {
  const { yaml, errors } = parseYamlPositioned(file, text);
  if (errors.length) throw new DiagnosticError(errors);
  return yaml;
}
