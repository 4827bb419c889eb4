/**
 * The matrix as JSON (for `--json` and the HTML report) and as a text table.
 *
 * @module
 */

import type { FlowParty, MatrixCell, ReachabilityMatrix } from './engine.js';
import { matrixInternals } from './engine.js';
import type { DeclaredPort, NetworkModel } from './model.js';
import { PROTOCOLS, hasPorts, protocolName } from './packet.js';

/** One endpoint in {@link MatrixJson}. */
export interface MatrixJsonEndpoint {
  /** Endpoint id (Marathon app id). */
  readonly id: string;
  /** Its labels, as the CNI plugin gives them. */
  readonly labels: Readonly<Record<string, string>>;
  /** CNI network. */
  readonly network: string;
  /** Declared ports. */
  readonly ports: readonly DeclaredPort[];
}

/** One flow in {@link MatrixJson}. */
export interface MatrixJsonFlow {
  /** Source: a Marathon app id, or an external peer's CIDR. */
  readonly from: string;
  /** Destination: a Marathon app id. */
  readonly to: string;
  /** `tcp`, `udp`, `sctp`, `icmp` (echo request), `icmpv6` (echo request), or another protocol's name or number. */
  readonly protocol: string;
  /** Destination port, or `null` for ICMP echo and protocols without ports. */
  readonly port: number | null;
  /** Whether the flow can be opened. */
  readonly allowed: boolean;
  /** The deciding rule(s), e.g. `egress: policy a rule 0 (allow); ingress: policy b rule 1 (allow)`. */
  readonly reason: string;
}

/** The JSON form of a matrix. */
export interface MatrixJson {
  /** Every endpoint. */
  readonly endpoints: readonly MatrixJsonEndpoint[];
  /** Every listed flow. */
  readonly flows: readonly MatrixJsonFlow[];
}

/**
 * The ports listed per port protocol: every port an app declares for that protocol, and every
 * destination port a rule names for it (a single port, or both ends of a range, in `ports` or
 * `notPorts`; a rule without protocol counts for tcp and udp). Ports inside one matrix interval all share its decision, so this is
 * the matrix expanded at the ports someone wrote down.
 */
export function listedPorts(model: NetworkModel): Map<number, number[]> {
  const out = new Map<number, Set<number>>();
  const add = (protocol: number, port: number): void => void (out.get(protocol) ?? out.set(protocol, new Set()).get(protocol)!).add(port);
  for (const e of model.endpoints) for (const p of e.ports) add(p.protocol === 'tcp' ? PROTOCOLS.tcp : PROTOCOLS.udp, p.port);
  for (const owner of [...model.policies, ...model.profiles]) {
    for (const r of [...owner.ingress, ...owner.egress]) {
      const protocols = r.protocol === undefined ? [PROTOCOLS.tcp, PROTOCOLS.udp] : hasPorts(r.protocol) ? [r.protocol] : [];
      const d = r.destination;
      for (const i of [...(d.ports ?? []), ...d.notPorts]) for (const p of protocols) for (const x of new Set([i.from, i.to])) add(p, x);
    }
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, [...v].sort((x, y) => x - y)]));
}

function partyText(p: FlowParty): string {
  return p.kind === 'endpoint' ? p.endpoint.id : p.peer.cidr.text;
}

function cellFor(cells: readonly MatrixCell[], protocol: string, port: number | undefined): MatrixCell | undefined {
  return cells.find((c) => c.protocol === protocol && (port === undefined ? c.ports === undefined : c.ports !== undefined && c.ports.from <= port && port <= c.ports.to));
}

/**
 * The matrix as `{ endpoints, flows }`: a flow for every (source, destination endpoint) —
 * sources being every endpoint and every external peer — and every listed port of each port
 * protocol (see {@link listedPorts}), ICMP echo request (`icmp`, or `icmpv6` from IPv6 peers,
 * `port: null`), and each other protocol a rule names (`port: null`). Flows are ordered by
 * destination, then source (endpoints, then peers), then protocol and port.
 */
export function matrixToJson(matrix: ReachabilityMatrix): MatrixJson {
  const { ctx } = matrixInternals(matrix);
  const ports = listedPorts(matrix.model);
  const endpoints = matrix.model.endpoints.map((e) => ({ id: e.id, labels: { ...e.labels }, network: e.network, ports: e.ports.map((p) => ({ ...p })) }));
  const flows: MatrixJsonFlow[] = [];
  const sources = matrix.sources();
  for (const to of matrix.destinations()) {
    for (const from of sources) {
      const cells = matrix.cellsBetween(from, to);
      const push = (c: MatrixCell | undefined, protocol: string, port: number | null): void => {
        if (c) flows.push({ from: partyText(from), to: to.endpoint.id, protocol, port, allowed: c.allowed, reason: c.reason });
      };
      const v6 = from.kind === 'peer' && from.peer.cidr.version === 6;
      for (const protocol of ctx.portProtocols) {
        const name = protocolName(protocol);
        for (const port of ports.get(protocol) ?? []) push(cellFor(cells, name, port), name, port);
      }
      const echo = v6 ? 'icmpv6' : 'icmp';
      push(cellFor(cells, echo, undefined), echo, null);
      for (const protocol of ctx.otherProtocols) push(cellFor(cells, protocolName(protocol), undefined), protocolName(protocol), null);
    }
  }
  return { endpoints, flows };
}

/** Options of {@link matrixToTable}. */
export interface TableOptions {
  /** `check` prints ✓/✗, `words` prints allow/deny. @default 'check' */
  readonly style?: 'check' | 'words';
}

/**
 * A text table: one row per source (endpoints, then external peers by name), one column per
 * destination app and port it declares (`/frontend tcp/80`) plus its ping column.
 */
export function matrixToTable(matrix: ReachabilityMatrix, options: TableOptions = {}): string {
  const yes = options.style === 'words' ? 'allow' : '✓';
  const no = options.style === 'words' ? 'deny' : '✗';
  const columns: Array<{ head: string; to: ReturnType<ReachabilityMatrix['destinations']>[number]; protocol: string; port?: number }> = [];
  for (const to of matrix.destinations()) {
    for (const p of to.endpoint.ports) columns.push({ head: `${to.endpoint.id} ${p.protocol}/${p.port}`, to, protocol: p.protocol, port: p.port });
    columns.push({ head: `${to.endpoint.id} ping`, to, protocol: 'icmp' });
  }
  const rows = matrix.sources().map((from) => {
    const name = from.kind === 'endpoint' ? from.endpoint.id : from.peer.name === from.peer.cidr.text ? from.peer.name : `${from.peer.name} (${from.peer.cidr.text})`;
    const v6 = from.kind === 'peer' && from.peer.cidr.version === 6;
    const cells = columns.map((c) => {
      const cell = cellFor(matrix.cellsBetween(from, c.to), c.protocol === 'icmp' && v6 ? 'icmpv6' : c.protocol, c.port);
      return cell === undefined ? '' : cell.allowed ? yes : no;
    });
    return [name, ...cells];
  });
  const table = [['source', ...columns.map((c) => c.head)], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => [...r[i]!].length)));
  return table.map((r) => r.map((x, i) => x + ' '.repeat(widths[i]! - [...x].length)).join('  ').trimEnd()).join('\n') + '\n';
}
