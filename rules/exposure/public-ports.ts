/**
 * Host ports that are public by design: the standard ports of mail servers, DNS servers, web
 * servers and reverse proxies, and VPNs, which exist to be reached from other hosts. Binding
 * them to 127.0.0.1 breaks the deployment, so the exposure rules say so instead of advising it,
 * and `--fix` leaves them alone unless the rule's `fixPublicPorts` option asks for it.
 */
import type { Binding } from '../../src/model/types';
import { intervalsText } from '../../src/engine/words';
import { hostIntervals } from '../range/ports';

interface PublicService {
  name: string;
  /** What is meant to be reached on it. */
  role: string;
  ports: number[];
  protocols: Array<'tcp' | 'udp'>;
}

const PUBLIC_BY_DESIGN: readonly PublicService[] = [
  { name: 'SMTP', role: 'a mail server', ports: [25, 465, 587], protocols: ['tcp'] },
  { name: 'IMAP', role: 'a mail server', ports: [143, 993], protocols: ['tcp'] },
  { name: 'POP3', role: 'a mail server', ports: [110, 995], protocols: ['tcp'] },
  { name: 'DNS', role: 'a DNS server', ports: [53], protocols: ['tcp', 'udp'] },
  { name: 'HTTP', role: 'a web server or reverse proxy', ports: [80], protocols: ['tcp'] },
  // HTTP/3 (QUIC) runs on 443/udp.
  { name: 'HTTPS', role: 'a web server or reverse proxy', ports: [443], protocols: ['tcp', 'udp'] },
  { name: 'WireGuard', role: 'a VPN', ports: [51820], protocols: ['udp'] },
  { name: 'OpenVPN', role: 'a VPN', ports: [1194], protocols: ['udp', 'tcp'] },
  { name: 'IPsec', role: 'a VPN', ports: [500, 4500], protocols: ['udp'] },
];

/** The public service every host port of the bindings belongs to, or undefined (a random or other port among them). */
function publicByDesign(bindings: readonly Binding[]): PublicService | undefined {
  let found: PublicService | undefined;
  for (const b of bindings) {
    const h = b.hostPorts;
    if (!h || h.start !== h.end) return undefined;
    const service = PUBLIC_BY_DESIGN.find((s) => s.ports.includes(h.start) && s.protocols.includes(b.protocol as 'tcp' | 'udp'));
    if (!service || (found && found.role !== service.role)) return undefined;
    found = service;
  }
  return found;
}

/**
 * For an entry whose every host port is public by design, the sentence both exposure rules put
 * before their loopback advice (the port is meant to be public, how to say so); otherwise undefined.
 */
export function publicByDesignNote(bindings: Binding[]): string | undefined {
  const service = publicByDesign(bindings);
  if (!service) return undefined;
  return `${service.name} is meant to be public on ${service.role}: if that is what this is, list ${intervalsText(hostIntervals(bindings))} in allowedPorts (or an allow entry) to say so`;
}

/** The option that lets `--fix` bind public-by-design ports to loopback too. */
export const fixPublicPortsSchema = {
  type: 'boolean',
  description: 'Let --fix bind public-by-design ports (mail, DNS, HTTP/HTTPS, VPN) to 127.0.0.1 too; off by default, since that breaks a server meant to be reached.',
} as const;
