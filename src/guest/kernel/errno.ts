/**
 * Linux errno numbers (asm-generic/errno-base.h) and the C library's `strerror` texts, which the
 * connector programs print after `Error: `.
 */
export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ESPIPE = 29;
export const EPIPE = 32;
export const ENOSYS = 38;
/** Kernel-internal: a sleep interrupted by a signal; user space sees EINTR. */
export const ERESTARTSYS = 512;

const TEXT: Record<number, string> = {
  [EPERM]: 'Operation not permitted',
  [ENOENT]: 'No such file or directory',
  [EINTR]: 'Interrupted system call',
  [EIO]: 'I/O error',
  [ENXIO]: 'No such device or address',
  [ENOEXEC]: 'Exec format error',
  [EBADF]: 'Bad file descriptor',
  [ECHILD]: 'No child processes',
  [EAGAIN]: 'Resource temporarily unavailable',
  [ENOMEM]: 'Cannot allocate memory',
  [EACCES]: 'Permission denied',
  [EFAULT]: 'Bad address',
  [EBUSY]: 'Device or resource busy',
  [EEXIST]: 'File exists',
  [ENODEV]: 'No such device',
  [ENOTDIR]: 'Not a directory',
  [EISDIR]: 'Is a directory',
  [EINVAL]: 'Invalid argument',
  [ENOTTY]: 'Inappropriate ioctl for device',
  [ESPIPE]: 'Illegal seek',
  [EPIPE]: 'Broken pipe',
  [ENOSYS]: 'Function not implemented',
};

/** `strerror(n)`; unknown numbers as uClibc-ng prints them. */
export function strerror(n: number): string {
  if (n === ERESTARTSYS) return TEXT[EINTR];
  return TEXT[n] ?? `Unknown error ${n}`;
}

/** Signals a process can die of, with the text ash prints for a foreground job. */
export const SIGABRT = 6;
export const SIGSEGV = 11;
export const SIGPIPE = 13;
export const SIGKILL = 9;
export const SIGNAL_TEXT: Record<number, string> = {
  [SIGABRT]: 'Aborted',
  [SIGSEGV]: 'Segmentation fault',
  [SIGPIPE]: 'Broken pipe',
  [SIGKILL]: 'Killed',
};
