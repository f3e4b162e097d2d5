import { isAbsolute, relative } from 'node:path';
import type { Command } from '../command';
import { EXIT } from '../command';
import { errorAt, formatDiagnostic, type Diagnostic } from '../../diagnostics';
import { listBoards, loadPlatform } from '../../platform';
import { hasErrors, loadAndCheck, type Arch } from '../../camkes/check';

const USAGE = `usage: vmconf check <file.camkes> [-I dir]... [-D NAME[=VALUE]]... [--strict]
                    [--platform <board> | --arch x86|arm]

Loads a CAmkES spec (C preprocessor, parser, imports) and runs the semantic checks of camkes-tool
(unknown references, duplicates, connector end kinds and multiplicity, hardware ends, interface
types, unconnected interfaces, attribute types) plus the rules of the CAmkES VM documents
(dataport sizes page-aligned, cross-VM dataports over seL4SharedDataWithCaps, the InitI/vmI guest
naming rule).

Errors are what upstream rejects; warnings are rules the documents state that upstream's tools do
not enforce (missing <iface>_id/<iface>_size on seL4SharedDataWithCaps ends, generation-1 dataport
ids not contiguous from 1). --strict turns warnings into errors.

The architecture selects src/camkes/include/<arch> (see its README): --arch, the family of
--platform, or else the "arch" of an app.yaml next to the file. -I directories come first, then
the app.yaml's importPaths ("{board}" is --platform, else the app's first board), then the
built-in include directories.

Prints one "path:line:col: error|warning: message" line per diagnostic.
Exit status: 0 when there is no error (warnings are printed), 1 when there is an error (or a
warning under --strict), 2 on a usage error.
`;

interface Args {
  file?: string;
  includeDirs: string[];
  defines: Record<string, string>;
  strict: boolean;
  platform?: string;
  arch?: Arch;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { includeDirs: [], defines: {}, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (flag: string): string | undefined => (arg === flag ? argv[++i] : arg.startsWith(flag) ? arg.slice(flag.length).replace(/^=/, '') : undefined);
    if (arg === '--strict') a.strict = true;
    else if (arg === '-I' || (arg.startsWith('-I') && !arg.startsWith('--'))) {
      const d = value('-I');
      if (!d) return 'expected a directory after -I';
      a.includeDirs.push(d);
    } else if (arg === '-D' || (arg.startsWith('-D') && !arg.startsWith('--'))) {
      const d = value('-D');
      if (!d) return 'expected NAME[=VALUE] after -D';
      const eq = d.indexOf('=');
      // cpp: `-D NAME` defines NAME as 1.
      if (eq < 0) a.defines[d] = '1';
      else a.defines[d.slice(0, eq)] = d.slice(eq + 1);
    } else if (arg === '--platform' || arg.startsWith('--platform=')) {
      a.platform = value('--platform');
      if (!a.platform) return 'expected a board name after --platform';
    } else if (arg === '--arch' || arg.startsWith('--arch=')) {
      const v = value('--arch');
      if (v !== 'x86' && v !== 'arm') return `expected x86 or arm after --arch, found '${v ?? ''}'`;
      a.arch = v;
    } else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else if (a.file !== undefined) return `expected one .camkes file, found a second one '${arg}'`;
    else a.file = arg;
  }
  if (a.file === undefined) return 'expected a .camkes file';
  if (a.platform && a.arch) return '--platform and --arch are exclusive (the board fixes the architecture)';
  return a;
}

/** Paths below the working directory are printed relative to it, as compilers print them. */
function shown(d: Diagnostic): Diagnostic {
  const rel = relative(process.cwd(), d.pos.file);
  const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : d.pos.file;
  return { ...d, pos: { ...d.pos, file }, ...(d.notes ? { notes: d.notes.map(shown) } : {}) };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check a .camkes spec: camkes-tool semantic errors, and the CAmkES VM documents\' rules as warnings',
  usage: USAGE,
  async run(argv, io) {
    const a = parseArgs(argv);
    if (typeof a === 'string') {
      io.err(`vmconf check: error: ${a}\n\n${USAGE}`);
      return EXIT.usage;
    }
    let boardArch: Arch | undefined;
    if (a.platform) {
      if (!listBoards().includes(a.platform)) throw errorAt({ file: '<command line>', line: 1, col: 1 }, `unknown board '${a.platform}'; known boards: ${listBoards().join(', ')}`);
      boardArch = loadPlatform(a.platform).family;
    }
    const r = loadAndCheck(a.file!, { includeDirs: a.includeDirs, defines: a.defines, strict: a.strict, arch: a.arch, board: a.platform, boardArch });
    for (const d of r.diagnostics) io.out(formatDiagnostic(shown(d)) + '\n');
    return hasErrors(r.diagnostics) ? EXIT.inputError : EXIT.ok;
  },
};
