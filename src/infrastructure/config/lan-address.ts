import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/**
 * The machine's addresses on a local network, best first: where phones on the same Wi-Fi reach a
 * commune hall's laptop. Home and hotspot networks (192.168/16) come before 10/8 and 172.16/12,
 * which container bridges use too; loopback and link-local addresses never count.
 */
export function lanAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const rank = (a: string) =>
    a.startsWith('192.168.') ? 0 : a.startsWith('10.') ? 1 : /^172\.(1[6-9]|2\d|3[01])\./.test(a) ? 2 : 3;
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.'))
    .map((i) => i.address)
    .sort((a, b) => rank(a) - rank(b));
}

/** Whether a listen address accepts connections from other machines. */
export const listensOnAllInterfaces = (host: string) => host === '0.0.0.0' || host === '::';
