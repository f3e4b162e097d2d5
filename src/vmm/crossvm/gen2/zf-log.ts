/**
 * seL4's zf_log in a Debug build (reference cross-vm-connectors.md "How ZF_LOG lines look"):
 * `<function>@<file>:<line> <message>` and a newline; at most 254 characters of text; a format
 * that already ends in `\n` gives an extra empty line. Returns the text as written to stderr.
 */
export function zfLog(func: string, file: string, line: number, message: string): string {
  const text = `${func}@${file}:${line} ${message}`.slice(0, 254);
  return text + '\n';
}

/** Where a ZF_LOG call sits in the upstream source. */
export interface LogSite {
  readonly func: string;
  readonly file: string;
  readonly line: number;
}

export function zfLogAt(site: LogSite, message: string): string {
  return zfLog(site.func, site.file, site.line, message);
}
