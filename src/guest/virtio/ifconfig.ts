import type { GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import { netStackOf, type NetInterface } from './netstack';
import { formatIp, formatMac, parseIp } from './packet';

/** SIOCSIFADDR without a netmask: the classful default (inet_set_ifa / inet_make_mask). */
function classfulMask(ip: number): number {
  const a = ip >>> 24;
  return a < 128 ? 0xff000000 : a < 192 ? 0xffff0000 : 0xffffff00;
}

/** Bytes as busybox's interface.c prints them (`(1.2 KiB)`). */
function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function display(i: NetInterface): string {
  const pad = i.name.padEnd(10, ' ');
  let s = `${pad}Link encap:Ethernet  HWaddr ${formatMac(i.dev.mac)}  \n`;
  if (i.ip !== null) s += `          inet addr:${formatIp(i.ip)}  Bcast:${formatIp((i.ip | ~i.mask) >>> 0)}  Mask:${formatIp(i.mask)}\n`;
  s += `          ${i.up ? 'UP ' : ''}BROADCAST ${i.up ? 'RUNNING ' : ''}MULTICAST  MTU:1500  Metric:1\n`;
  const c = i.counters;
  s += `          RX packets:${c.rxPackets} errors:0 dropped:${c.rxDropped} overruns:0 frame:0\n`;
  s += `          TX packets:${c.txPackets} errors:0 dropped:0 overruns:0 carrier:0\n`;
  s += '          collisions:0 txqueuelen:1000 \n';
  s += `          RX bytes:${c.rxBytes} (${human(c.rxBytes)})  TX bytes:${c.txBytes} (${human(c.txBytes)})\n\n`;
  return s;
}

/**
 * busybox ifconfig, for the virtio interfaces: show (`ifconfig [-a] [IFACE]`) or configure
 * (`ifconfig IFACE ADDR [netmask MASK] [up|down]`). Setting an address also brings the
 * interface up (UNCONFIRMED for busybox; net-tools does so). The loopback device is not modelled.
 */
export function* ifconfig(c: Libc, argv: string[]): GuestStep<number> {
  const stack = netStackOf(c.p.k);
  const args = argv.slice(1);
  const all = args[0] === '-a';
  if (all) args.shift();
  if (!args.length) {
    for (const i of stack.ifaces) if (all || i.up) yield* c.printf(display(i));
    return 0;
  }
  const i = stack.iface(args[0]);
  if (args.length === 1) {
    if (!i) {
      yield* c.eprintf(`ifconfig: ${args[0]}: error fetching interface information: Device not found\n`);
      return 1;
    }
    yield* c.printf(display(i));
    return 0;
  }
  if (!i) {
    yield* c.eprintf('ifconfig: SIOCGIFFLAGS: No such device\n');
    return 1;
  }
  for (let n = 1; n < args.length; n++) {
    const a = args[n];
    if (a === 'up') i.up = true;
    else if (a === 'down') i.up = false;
    else if (a === 'netmask') {
      const m = parseIp(args[++n] ?? '');
      if (m === null) {
        yield* c.eprintf(`ifconfig: bad address '${args[n] ?? ''}'\n`);
        return 1;
      }
      i.mask = m;
    } else {
      const ip = parseIp(a);
      if (ip === null) {
        yield* c.eprintf(`ifconfig: bad address '${a}'\n`);
        return 1;
      }
      i.ip = ip;
      i.mask = classfulMask(ip);
      i.up = true;
    }
  }
  return 0;
}
