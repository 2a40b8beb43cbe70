import type { NetworkInterfaceInfo } from 'node:os';
import { lanAddresses, listensOnAllInterfaces } from './lan-address.js';

const v4 = (address: string, internal = false) =>
  ({
    address,
    family: 'IPv4',
    internal,
    netmask: '255.255.255.0',
    mac: '',
    cidr: null,
  }) as NetworkInterfaceInfo;

describe('LAN addresses', () => {
  it('puts the Wi-Fi address before container bridges and skips loopback, link-local and IPv6', () => {
    const found = lanAddresses({
      lo: [v4('127.0.0.1', true)],
      docker0: [v4('172.17.0.1')],
      eth1: [v4('169.254.10.2')],
      wlan0: [
        v4('192.168.43.17'),
        { address: 'fe80::1', family: 'IPv6', internal: false } as NetworkInterfaceInfo,
      ],
      tun0: [v4('10.8.0.2')],
    });
    expect(found).toEqual(['192.168.43.17', '10.8.0.2', '172.17.0.1']);
  });

  it('finds nothing on a machine with loopback only', () => {
    expect(lanAddresses({ lo: [v4('127.0.0.1', true)] })).toEqual([]);
  });

  it('knows which listen addresses other machines reach', () => {
    expect(listensOnAllInterfaces('0.0.0.0')).toBe(true);
    expect(listensOnAllInterfaces('::')).toBe(true);
    expect(listensOnAllInterfaces('127.0.0.1')).toBe(false);
  });
});
