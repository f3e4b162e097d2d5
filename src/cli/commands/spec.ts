import { EXIT, type Command } from '../command';
import { builtinBehaviours, registerAppComponents } from '../../camkes/components';
import { instantiate, renderSpec } from '../../camkes/instantiate';
import { loadSpecFor } from '../../camkes/instantiate/load';
import { resolveAssembly } from '../../camkes/resolve';

const USAGE = `usage: vmconf spec <file.camkes> [-I dir]... [-D NAME[=VALUE]]... [--platform <board>]

Loads a CAmkES assembly, resolves it and instantiates it on the simulated seL4 kernel, then
prints what was created as a capDL-like listing: every object (type, name, size), each
component CNode's capabilities (slot, type, rights, object, badge, purpose) and each VSpace's
dataport mappings. Nothing is run.

  -I dir             add dir to the cpp include path and the import path (before the app's
                     importPaths and the built-in include tree)
  -D NAME[=VALUE]    define a cpp macro (VALUE defaults to 1)
  --platform board   build for this board (platforms/<board>.yaml): selects x86 or arm
                     includes, the seL4 architecture and the app's {board} import paths

Architecture: from --platform when given; else from the arch key of the app.yaml in the
file's directory (or a parent, up to four levels); else x86 (x86_64).

Exit status: 0 on success; 1 when the input was rejected (positioned diagnostics on stderr);
2 on a usage error.
`;

export const specCommand: Command = {
  name: 'spec',
  summary: 'instantiate a .camkes assembly and list its objects and capabilities',
  usage: USAGE,
  async run(argv, io) {
    let file: string | undefined;
    let board: string | undefined;
    const includeDirs: string[] = [];
    const defines: Record<string, string> = {};
    const usage = (msg: string) => {
      io.err(`vmconf spec: error: ${msg}\n\n${USAGE}`);
      return EXIT.usage;
    };
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const value = (flag: string): string | undefined => (a === flag ? argv[++i] : a.slice(flag.length + (a.startsWith(flag + '=') ? 1 : 0)));
      if (a === '-I' || (a.startsWith('-I') && a.length > 2)) {
        const d = value('-I');
        if (!d) return usage('-I needs a directory');
        includeDirs.push(d);
      } else if (a === '-D' || (a.startsWith('-D') && a.length > 2)) {
        const d = value('-D');
        if (!d) return usage('-D needs NAME[=VALUE]');
        const eq = d.indexOf('=');
        if (eq === 0) return usage(`bad -D '${d}'`);
        if (eq < 0) defines[d] = '1';
        else defines[d.slice(0, eq)] = d.slice(eq + 1);
      } else if (a === '--platform' || a.startsWith('--platform=')) {
        board = value('--platform');
        if (!board) return usage('--platform needs a board name');
      } else if (a.startsWith('-')) return usage(`unknown option '${a}'`);
      else if (file === undefined) file = a;
      else return usage(`unexpected argument '${a}'`);
    }
    if (!file) return usage('no .camkes file given');
    const src = loadSpecFor(file, { board, includeDirs, defines });
    const assembly = resolveAssembly(src.spec);
    const behaviours = builtinBehaviours();
    if (src.app) registerAppComponents(src.app, behaviours);
    const sys = instantiate(assembly, { arch: src.arch, behaviours });
    io.out(`# ${file} (${src.platform ? `board ${src.platform.name}, ` : ''}${src.arch})\n`);
    io.out(renderSpec(sys));
    return EXIT.ok;
  },
};
