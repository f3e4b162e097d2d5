import { EAGAIN, SIGPIPE } from './errno';
import { WaitQueue, type GuestKernel } from './kernel';
import { ProcessExit } from './process';
import { O_NONBLOCK, O_RDONLY, O_WRONLY, OpenFile, type FileOps } from './vfs';

/** PIPE_BUF * 16: Linux's default pipe capacity. */
const CAPACITY = 65536;

class Pipe {
  data: number[] = [];
  readers = 1;
  writers = 1;
  readonly rq: WaitQueue;
  readonly wq: WaitQueue;
  constructor(k: GuestKernel) {
    this.rq = new WaitQueue(k);
    this.wq = new WaitQueue(k);
  }
}

/** A pipe's two ends: reads block while it is empty and a writer remains; EOF after the last writer. */
export function pipeFiles(k: GuestKernel): [OpenFile, OpenFile] {
  const pipe = new Pipe(k);
  const readOps: FileOps = {
    *read(f, _p, count) {
      while (!pipe.data.length && pipe.writers > 0) {
        if (f.flags & O_NONBLOCK) return -EAGAIN;
        yield* k.sleepOn([pipe.rq], null);
      }
      const out = Uint8Array.from(pipe.data.splice(0, count));
      pipe.wq.wakeUp();
      return out;
    },
    poll(_f, table) {
      table?.push(pipe.rq);
      return (pipe.data.length ? 0x41 : 0) | (pipe.writers === 0 ? 0x10 : 0);
    },
    release() {
      pipe.readers--;
      pipe.wq.wakeUp();
    },
  };
  const writeOps: FileOps = {
    *write(f, _p, bytes) {
      let off = 0;
      while (off < bytes.length) {
        if (pipe.readers === 0) throw new ProcessExit(0, SIGPIPE);
        const room = CAPACITY - pipe.data.length;
        if (room === 0) {
          if (f.flags & O_NONBLOCK) return off || -EAGAIN;
          yield* k.sleepOn([pipe.wq], null);
          continue;
        }
        const n = Math.min(room, bytes.length - off);
        for (let i = 0; i < n; i++) pipe.data.push(bytes[off + i]);
        off += n;
        pipe.rq.wakeUp();
      }
      return off;
    },
    poll(_f, table) {
      table?.push(pipe.wq);
      return (pipe.data.length < CAPACITY ? 0x4 : 0) | (pipe.readers === 0 ? 0x8 : 0);
    },
    release() {
      pipe.writers--;
      pipe.rq.wakeUp();
    },
  };
  return [new OpenFile(readOps, 'pipe:[r]', null, O_RDONLY), new OpenFile(writeOps, 'pipe:[w]', null, O_WRONLY)];
}

