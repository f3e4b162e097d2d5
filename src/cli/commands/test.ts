import { runConformance } from '../../harness/runner';
import type { Command } from '../command';

export const testCommand: Command = {
  name: 'test',
  summary: 'run the conformance suite for every board (or the boards named in --tags) and write reports/',
  usage: `usage: vmconf test [cucumber options]

Runs the Gherkin conformance suite once per board, with that board's description loaded into
every scenario's World, and writes reports/<board>/ (messages.ndjson, junit.xml, ...).

Options are Cucumber's own (for example --tags, --name, --format). Board tags in --tags choose
the boards: '--tags @tx2' runs every scenario that applies to TX2 and nothing else; with no board
tag, every board under platforms/ is run. A scenario applies to board B when it is tagged @B, or
when it carries no board tag and is tagged @all-boards, @<family> (@arm, @x86) or @<arch>
(@aarch64, @aarch32, @x86_64, @ia32) matching B.

Exit status: 0 when every board passed, 1 when a scenario failed, 2 on a usage error.
`,
  async run(argv, io) {
    return runConformance(argv, io);
  },
};
