/**
 * Who a request comes from, as a key for per-client limits: the peer's
 * address or, with `trustProxy`, when the peer is a proxy on this machine, on
 * a private network (nginx, Caddy, a container's gateway) or behind a Unix
 * socket, the address that proxy appended to `X-Forwarded-For`. Only a proxy
 * that appends the address it saw may be trusted so: one that passes the
 * header on as it came (a TCP forwarder) would let each client choose its
 * key. IPv6 addresses count by their /64 prefix, the block one subscriber is
 * given, so that rotating addresses within it does not make a new client;
 * and they belong to a site, their /48, which holds 65,536 such blocks and
 * which anyone can get for free from a tunnel broker, so that a limit per
 * client can be bounded per site too.
 *
 * @example
 * ```ts
 * clientAddress(req, { remoteAddr: { transport: "tcp", hostname: "2001:db8:1:2:3:4:5:6", port: 4000 } }, false);
 * // { key: "2001:db8:1:2::/64", site: "2001:db8:1::/48" }
 * ```
 *
 * @module
 */

/** Who sent a request: the client's key and, for IPv6, its site's. */
export interface ClientKey {
  key: string;
  /** The /48 an IPv6 client is in; `null` for IPv4 and local clients. */
  site: string | null;
}

/** The key of the client that sent `req`. */
export function clientAddress(req: Request, info: Deno.ServeHandlerInfo, trustProxy: boolean): ClientKey {
  const { remoteAddr } = info;
  // A Unix socket's peer is a process on this machine.
  const peer = remoteAddr.transport === "tcp" || remoteAddr.transport === "udp" ? normalize(remoteAddr.hostname) : null;
  if (trustProxy && (peer === null || isPrivate(peer))) {
    const forwarded = req.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
    const client = forwarded ? normalize(withoutPort(forwarded)) : null;
    if (client !== null) return keys(client);
  }
  return peer === null ? { key: "local", site: null } : keys(peer);
}

/** An address as some proxies write it with the client's port: `203.0.113.7:4000`, `[2001:db8::1]:4000`. */
function withoutPort(text: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return v4 ? v4[1] : text;
}

/** An IPv4 address as four numbers, or an IPv6 one as eight; `null` when the text is neither. */
interface Address {
  v: 4 | 6;
  parts: number[];
}

function normalize(text: string): Address | null {
  const v4 = ipv4(text);
  if (v4) return { v: 4, parts: v4 };
  const v6 = ipv6(text.replace(/%.*$/, ""));
  if (!v6) return null;
  // An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) is that IPv4 address.
  if (v6.slice(0, 5).every((part) => part === 0) && v6[5] === 0xffff) {
    return { v: 4, parts: [v6[6] >> 8, v6[6] & 0xff, v6[7] >> 8, v6[7] & 0xff] };
  }
  return { v: 6, parts: v6 };
}

function ipv4(text: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : null;
}

function ipv6(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => half === "" ? [] : half.split(":");
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  // A trailing dotted IPv4 part stands for the last two groups.
  const ending = halves.length === 2 ? tail : head;
  const last = ending.at(-1);
  if (last?.includes(".")) {
    const dotted = ipv4(last);
    if (!dotted) return null;
    ending.splice(-1, 1, ((dotted[0] << 8) | dotted[1]).toString(16), ((dotted[2] << 8) | dotted[3]).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return null;
  return all.map((group) => parseInt(group, 16));
}

/** Loopback, private (RFC 1918, unique local) and link-local addresses: where a trusted proxy would be. */
function isPrivate(address: Address): boolean {
  const [a, b] = address.parts;
  if (address.v === 4) {
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
      (a === 169 && b === 254);
  }
  const loopback = address.parts.slice(0, 7).every((part) => part === 0) && address.parts[7] === 1;
  return loopback || (a & 0xfe00) === 0xfc00 || (a & 0xffc0) === 0xfe80;
}

function keys(address: Address): ClientKey {
  if (address.v === 4) return { key: address.parts.join("."), site: null };
  const prefix = (groups: number) => address.parts.slice(0, groups).map((part) => part.toString(16)).join(":");
  return { key: `${prefix(4)}::/64`, site: `${prefix(3)}::/48` };
}
