/** Ethernet / IPv4 wire formats (network byte order) and the address notations programs print. */

export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export interface Ipv4 {
  readonly src: number;
  readonly dst: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly payload: Uint8Array;
}

export function macEq(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function ethFrame(dst: Uint8Array, src: Uint8Array, ethertype: number, payload: Uint8Array): Uint8Array {
  // Short frames are padded to the 60-byte Ethernet minimum, as a NIC does.
  const f = new Uint8Array(Math.max(60, 14 + payload.length));
  f.set(dst.subarray(0, 6), 0);
  f.set(src.subarray(0, 6), 6);
  f[12] = ethertype >> 8;
  f[13] = ethertype & 0xff;
  f.set(payload, 14);
  return f;
}

/** The Internet checksum (RFC 1071); 0 when `b` already carries a correct one. */
export function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ipv4Packet(src: number, dst: number, protocol: number, ttl: number, id: number, payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(20 + payload.length);
  const dv = new DataView(p.buffer);
  p[0] = 0x45;
  dv.setUint16(2, p.length);
  dv.setUint16(4, id);
  // DF, as Linux sets on ICMP echo (path MTU discovery on).
  dv.setUint16(6, 0x4000);
  p[8] = ttl;
  p[9] = protocol;
  dv.setUint32(12, src);
  dv.setUint32(16, dst);
  dv.setUint16(10, checksum(p.subarray(0, 20)));
  p.set(payload, 20);
  return p;
}

/** inet_ntoa. */
export function formatIp(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff].join('.');
}

/** inet_aton for dotted quads (the only host form the model resolves: there is no DNS). */
export function parseIp(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/**
 * ether_ntoa as the guest's C library prints it. UNCONFIRMED: uClibc-ng's ether_ntoa_r uses
 * `%.2X` (upper case, two digits), unlike glibc's `%x`; the buildroot guests link uClibc-ng.
 */
export function formatMac(mac: Uint8Array): string {
  return [...mac.subarray(0, 6)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}
