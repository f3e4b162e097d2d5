import { WaitQueue, type GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import { netStackOf, type IcmpSocket } from './netstack';
import { checksum, formatIp, parseIp } from './packet';

/** busybox MAXWAIT: seconds to wait for a reply after the last echo when none came back. */
const MAXWAIT = 10;
const PINGINTERVAL_NS = 1_000_000_000;
const ICMP_MINLEN = 8;
const UINT_MAX = 0xffffffff;

/** busybox's monotonic_us() as the guest reads it: microseconds of virtual time, as an unsigned. */
export function monotonicUs(c: Libc): number {
  return Math.floor(c.p.k.machine.now() / 1000) >>> 0;
}

/** `%u.%03u` of a microsecond count. */
export function usToMs(us: number): string {
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

/** Minimal getopt for `-x` flags and `-x VALUE` options (busybox getopt32 style). */
export function* getopts(c: Libc, applet: string, argv: string[], flags: string, withArg: string): GuestStep<{ o: Map<string, string>; rest: string[] } | null> {
  const o = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j];
      if (withArg.includes(ch)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) {
          yield* c.eprintf(`${applet}: option requires an argument -- '${ch}'\n`);
          return null;
        }
        o.set(ch, v);
        break;
      }
      if (!flags.includes(ch)) {
        yield* c.eprintf(`${applet}: invalid option -- '${ch}'\n`);
        return null;
      }
      o.set(ch, '');
    }
  }
  return { o, rest };
}

/** xatou_range for numeric options: busybox's message on a bad number. */
function* number(c: Libc, applet: string, text: string, min: number, max: number): GuestStep<number | null> {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    yield* c.eprintf(`${applet}: invalid number '${text}'\n`);
    return null;
  }
  return Number(text);
}

/**
 * busybox ping (FEATURE_FANCY_PING, IPv4): one echo request a second, replies printed as they
 * arrive with the round trip from the timestamp carried in the data, statistics at the end.
 * Options: -c COUNT, -s SIZE, -W SEC (wait when nothing came back), -q.
 */
export function* ping(c: Libc, argv: string[]): GuestStep<number> {
  const parsed = yield* getopts(c, 'ping', argv, 'q', 'csW');
  if (!parsed || parsed.rest.length !== 1) {
    if (parsed) yield* c.eprintf('BusyBox v1.25.0 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUEST packets to network hosts\n');
    return 1;
  }
  const { o, rest } = parsed;
  const count = o.has('c') ? yield* number(c, 'ping', o.get('c')!, 0, UINT_MAX) : 0;
  const datalen = o.has('s') ? yield* number(c, 'ping', o.get('s')!, 0, 65535 - 28) : 56;
  const waitS = o.has('W') ? yield* number(c, 'ping', o.get('W')!, 0, 2 ** 31) : MAXWAIT;
  if (count === null || datalen === null || waitS === null) return 1;
  const quiet = o.has('q');
  const hostname = rest[0];
  const ip = parseIp(hostname);
  if (ip === null) {
    yield* c.eprintf(`ping: bad address '${hostname}'\n`);
    return 1;
  }
  const k = c.p.k;
  const stack = netStackOf(k);
  const sock: IcmpSocket = { queue: [], wq: new WaitQueue(k) };
  stack.icmpSockets.add(sock);
  try {
    const myid = c.p.pid & 0xffff;
    let ntransmitted = 0;
    let nreceived = 0;
    let nrepeats = 0;
    let tmin = UINT_MAX;
    let tmax = 0;
    let tsum = 0;
    const seen = new Set<number>();
    yield* c.printf(`PING ${hostname} (${formatIp(ip)}): ${datalen} data bytes\n`);

    const finish = function* (): GuestStep<number> {
      yield* c.printf(`\n--- ${hostname} ping statistics ---\n`);
      const loss = ntransmitted ? Math.floor(((ntransmitted - nreceived) * 100) / ntransmitted) : 0;
      yield* c.printf(`${ntransmitted} packets transmitted, ${nreceived} packets received, ${nrepeats ? `${nrepeats} duplicates, ` : ''}${loss}% packet loss\n`);
      if (tmin !== UINT_MAX) {
        const tavg = Math.floor(tsum / (nreceived + nrepeats));
        yield* c.printf(`round-trip min/avg/max = ${usToMs(tmin)}/${usToMs(tavg)}/${usToMs(tmax)} ms\n`);
      }
      return nreceived === 0 ? 1 : 0;
    };

    let sending = true;
    let wakeAt = 0;
    const sendping = function* (): GuestStep<boolean> {
      const pkt = new Uint8Array(ICMP_MINLEN + datalen);
      const dv = new DataView(pkt.buffer);
      pkt[0] = 8;
      dv.setUint16(4, myid);
      dv.setUint16(6, ntransmitted & 0xffff);
      // No hton: busybox reads the timestamp back on the same (little-endian) machine.
      if (datalen >= 4) dv.setUint32(8, monotonicUs(c), true);
      dv.setUint16(2, checksum(pkt));
      if ((yield* stack.sendIpv4(ip, 1, pkt)) === 'unreachable') {
        yield* c.eprintf('ping: sendto: Network is unreachable\n');
        return false;
      }
      ntransmitted++;
      const now = k.machine.now();
      if (count === 0 || ntransmitted < count) wakeAt = now + PINGINTERVAL_NS;
      else {
        sending = false;
        // Two round trips (tmax / 2^19 s, at least 1 s) once something came back, else -W.
        const expire = nreceived ? Math.max(1, Math.floor(tmax / (512 * 1024))) : waitS;
        wakeAt = now + expire * 1e9;
      }
      return true;
    };

    if (!(yield* sendping())) return 1;
    for (;;) {
      while (sock.queue.length) {
        const pkt = sock.queue.shift()!;
        const icmp = pkt.payload;
        const sz = icmp.length;
        if (sz < datalen + ICMP_MINLEN || icmp[0] !== 0) continue;
        const dv = new DataView(icmp.buffer, icmp.byteOffset, icmp.byteLength);
        if (dv.getUint16(4) !== myid) continue;
        const seq = dv.getUint16(6);
        const dup = seen.has(seq);
        if (dup) nrepeats++;
        else {
          nreceived++;
          seen.add(seq);
        }
        let time = '';
        if (datalen >= 4) {
          const triptime = (monotonicUs(c) - dv.getUint32(8, true)) >>> 0;
          tsum += triptime;
          tmin = Math.min(tmin, triptime);
          tmax = Math.max(tmax, triptime);
          time = ` time=${usToMs(triptime)} ms`;
        }
        if (!quiet) yield* c.printf(`${sz} bytes from ${formatIp(pkt.src)}: seq=${seq} ttl=${pkt.ttl}${time}${dup ? ' (DUP!)' : ''}\n`);
        if (count && nreceived >= count) return yield* finish();
      }
      const now = k.machine.now();
      if (now >= wakeAt) {
        if (!sending) return yield* finish();
        if (!(yield* sendping())) return 1;
        continue;
      }
      yield* k.sleepOn([sock.wq], wakeAt - now);
      yield* k.syscallExit();
    }
  } finally {
    stack.icmpSockets.delete(sock);
  }
}
