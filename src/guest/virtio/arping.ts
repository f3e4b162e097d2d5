import { WaitQueue, type GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import { netStackOf, type PacketSocket } from './netstack';
import { BROADCAST_MAC, ETH_P_ARP, ETH_P_IP, formatIp, formatMac, macEq, parseIp } from './packet';
import { getopts, monotonicUs, usToMs } from './ping';

const ARPOP_REQUEST = 1;
const ARPOP_REPLY = 2;

/**
 * busybox arping (networking/arping.c): ARP requests from an AF_PACKET socket on the interface,
 * one a second (the SIGALRM `catcher`), replies matched against the target and printed with the
 * time since the last probe, `Sent/Received` at the end. Options: -I IFACE (default eth0),
 * -c COUNT, -w SEC, -s SRC, -f (quit on first reply), -b (broadcast only), -q, -U, -A, -D.
 */
export function* arping(c: Libc, argv: string[]): GuestStep<number> {
  const parsed = yield* getopts(c, 'arping', argv, 'fqbDUA', 'cwIs');
  if (!parsed || parsed.rest.length !== 1) {
    if (parsed) yield* c.eprintf('BusyBox v1.25.0 multi-call binary.\n\nUsage: arping [-fqbDUA] [-c CNT] [-w TIMEOUT] [-I IFACE] [-s SRC_IP] DST_IP\n\nSend ARP requests/replies\n');
    return 1;
  }
  const { o, rest } = parsed;
  const quiet = o.has('q');
  const dad = o.has('D');
  const unsolicited = o.has('U') || o.has('A');
  const advert = o.has('A');
  const quitOnReply = o.has('f') || dad;
  const bcastOnly = o.has('b');
  let count = o.has('c') ? Number(o.get('c')) : o.has('f') ? 1 : -1;
  const timeoutUs = o.has('w') ? Number(o.get('w')) * 1e6 : 0;
  if (!Number.isInteger(count) || !Number.isFinite(timeoutUs)) {
    yield* c.eprintf(`arping: invalid number '${o.get('c') ?? o.get('w')}'\n`);
    return 1;
  }
  const device = o.get('I') ?? 'eth0';
  const target = rest[0];
  const dst = parseIp(target);
  if (dst === null) {
    yield* c.eprintf(`arping: bad address '${target}'\n`);
    return 2;
  }
  const stack = netStackOf(c.p.k);
  const iface = stack.iface(device);
  // xfunc_error_retval = 2 from here on.
  if (!iface) {
    yield* c.eprintf(`arping: interface ${device} not found: No such device\n`);
    return 2;
  }
  if (!iface.up) {
    yield* c.eprintf(`arping: interface ${device} is down\n`);
    return 2;
  }
  let src: number;
  if (o.has('s')) {
    const s = parseIp(o.get('s')!);
    if (s === null) {
      yield* c.eprintf(`arping: invalid source address ${o.get('s')}\n`);
      return 2;
    }
    src = s;
  } else if (dad || unsolicited) src = dad ? 0 : dst;
  else {
    // The UDP connect() trick: the source address the route to the target would use.
    const r = stack.route(dst);
    if (r !== iface || iface.ip === null) {
      yield* c.eprintf('arping: connect: Network is unreachable\n');
      return 2;
    }
    src = iface.ip;
  }
  const k = c.p.k;
  const sock: PacketSocket = { iface, ethertype: ETH_P_ARP, queue: [], wq: new WaitQueue(k) };
  stack.packetSockets.add(sock);
  try {
    if (!quiet) yield* c.printf(`ARPING ${formatIp(dst)} from ${formatIp(src)} ${device}\n`);
    let he = BROADCAST_MAC;
    let unicasting = false;
    let sent = 0;
    let brdSent = 0;
    let received = 0;
    let brdRecv = 0;
    let reqRecv = 0;
    let start = 0;
    let last = 0;
    let alarmAt = k.machine.now();

    const finish = function* (): GuestStep<number> {
      if (!quiet) {
        let s = `Sent ${sent} probe(s) (${brdSent} broadcast(s))\nReceived ${received} response(s)`;
        if (brdRecv || reqRecv) s += ` (${reqRecv ? `${reqRecv} request(s)` : ''}${brdRecv ? `${reqRecv ? ', ' : ''}${brdRecv} broadcast(s)` : ''})`;
        yield* c.printf(`${s}\n`);
      }
      if (dad) return received ? 1 : 0;
      if (unsolicited) return 0;
      return received ? 0 : 1;
    };

    const sendPack = function* (): GuestStep<void> {
      if (yield* stack.sendArp(iface, advert ? ARPOP_REPLY : ARPOP_REQUEST, he, advert ? iface.dev.mac : he, src, dst)) {
        last = monotonicUs(c);
        sent++;
        if (!unicasting) brdSent++;
      }
    };

    for (;;) {
      while (sock.queue.length) {
        const { frame, type } = sock.queue.shift()!;
        const ah = frame.subarray(14);
        const dv = new DataView(ah.buffer, ah.byteOffset, ah.byteLength);
        if (ah.length < 28 || dv.getUint16(0) !== 1 || dv.getUint16(2) !== ETH_P_IP || ah[4] !== 6 || ah[5] !== 4) continue;
        const op = dv.getUint16(6);
        if (op !== ARPOP_REQUEST && op !== ARPOP_REPLY) continue;
        const senderMac = ah.slice(8, 14);
        const srcIp = dv.getUint32(14);
        const dstIp = dv.getUint32(24);
        if (!dad) {
          if (srcIp !== dst || src !== dstIp || !macEq(ah.subarray(18, 24), iface.dev.mac)) continue;
        } else if (srcIp !== dst || src !== dstIp) continue;
        if (!quiet) {
          let line = `${type === 'host' ? 'Uni' : 'Broad'}cast re${op === ARPOP_REPLY ? 'ply' : 'quest'} from ${formatIp(srcIp)} [${formatMac(senderMac)}]`;
          line += last ? ` ${usToMs((monotonicUs(c) - last) >>> 0)}ms\n` : ' UNSOLICITED?\n';
          yield* c.printf(line);
        }
        received++;
        if (type !== 'host') brdRecv++;
        if (op === ARPOP_REQUEST) reqRecv++;
        if (quitOnReply) return yield* finish();
        if (!bcastOnly) {
          he = senderMac;
          unicasting = true;
        }
      }
      const now = k.machine.now();
      if (now >= alarmAt) {
        // catcher()
        const us = monotonicUs(c);
        if (start === 0) start = us;
        if (count === 0 || (timeoutUs && us - start > timeoutUs)) return yield* finish();
        if (count > 0) count--;
        if (last === 0 || us - last > 500000) {
          yield* sendPack();
          if (count === 0 && unsolicited) return yield* finish();
        }
        alarmAt = now + 1_000_000_000;
        continue;
      }
      yield* k.sleepOn([sock.wq], alarmAt - now);
      yield* k.syscallExit();
    }
  } finally {
    stack.packetSockets.delete(sock);
  }
}
