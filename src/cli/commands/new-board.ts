import * as path from 'node:path';
import type { Command } from '../command';
import { EXIT } from '../command';
import { newBoard } from '../../platform/new-board';

export const newBoardCommand: Command = {
  name: 'new-board',
  summary: 'start a board description from a similar board (platforms/<name>.yaml and .dts)',
  usage: `usage: vmconf new-board <name> --from <similar-board>

Writes platforms/<name>.yaml, a copy of the similar board's description with its name and title
changed, a header comment listing what to fill in (platforms.md §4), and every section marked
\`unconfirmed: true\` while keeping its source; and platforms/<name>.dts, the similar board's device
tree with a header comment, when it has one. Existing files are never overwritten. The result is
validated before anything is written. Then \`npm test -- --tags @<name>\` runs every spec that
applies to the new board.

Exit status: 0 on success, 1 when the board exists or the result does not validate, 2 on a usage error.
`,
  async run(argv, io) {
    const fromAt = argv.indexOf('--from');
    const from = fromAt >= 0 ? argv[fromAt + 1] : undefined;
    const rest = argv.filter((_, i) => i !== fromAt && i !== fromAt + 1);
    if (!from || rest.length !== 1 || rest[0].startsWith('-') || from.startsWith('-')) {
      io.err(`vmconf new-board: error: expected a board name and --from <similar-board>\n\n${this.usage}`);
      return EXIT.usage;
    }
    const { files, platform } = newBoard(rest[0], from);
    for (const f of files) io.out(`wrote ${path.relative(process.cwd(), f) || f}\n`);
    io.out(`${platform.name} (${platform.arch}) validates; fill in the sections marked unconfirmed, then run: npm test -- --tags @${platform.name}\n`);
    return EXIT.ok;
  },
};
