/** One `vmconf` sub-command. `run` returns the process exit status. */
export interface Command {
  readonly name: string;
  /** One line for `vmconf --help`. */
  readonly summary: string;
  /** Full usage text for `vmconf <name> --help`. */
  readonly usage: string;
  run(argv: string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Exit statuses shared by every command (commands may add their own, documented in their usage). */
export const EXIT = {
  ok: 0,
  /** Input rejected: diagnostics were printed. */
  inputError: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;
