import type { IncomingMessage } from 'node:http';
import net from 'node:net';

/** Express's compiled `trust proxy` setting: whether the hop `addr`, `i` hops away, is a proxy of ours. */
export type TrustProxy = (addr: string, i: number) => boolean;

/**
 * The client's address, as Express's `req.ip` computes it (proxy-addr): the peer, then the
 * `X-Forwarded-For` entries from the right, for as long as each hop is a trusted proxy. Engine.IO
 * requests never go through Express, so the handshake needs the same reading by hand; with
 * `WORKERS`, the primary hands over the TCP socket itself, so the peer is the real client's.
 */
export function clientIp(req: IncomingMessage, trust: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  if (!forwarded || !trust(peer, 0)) return peer;
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .reverse();
  let ip = peer;
  for (let i = 0; i < hops.length; i++) {
    ip = hops[i]!;
    if (!trust(ip, i + 1)) break;
  }
  return ip;
}

/**
 * What the per-IP caps count by: an IPv4 address (also when written IPv4-mapped), or an IPv6
 * address's /64. One phone or one home gets a whole /64 and can pick any address in it: capping
 * single IPv6 addresses would cap nothing.
 */
export function ipKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (net.isIPv6(bare)) return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
  return ip;
}

/** The eight 16-bit groups of a valid IPv6 address, in hex without leading zeros. */
function ipv6Groups(ip: string): string[] {
  const toGroups = (part: string): string[] => {
    if (!part) return [];
    return part.split(':').flatMap((g) => {
      if (!g.includes('.')) return [g];
      // A trailing dotted IPv4 (::1.2.3.4) is two groups.
      const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  };
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}
