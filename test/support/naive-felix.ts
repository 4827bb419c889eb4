/**
 * A deliberately naive evaluator of Calico policy, written straight from
 * section 4 of the Calico facts (Felix's chain structure), with no indexes
 * and no cleverness: for each flow it walks every policy and rule. Tests use
 * it as the reference that synthesized bundles (and, later, the analysis
 * engine) are checked against.
 */
import { Selector } from '@dcos-cdk/calico';

export type Labels = Readonly<Record<string, string>>;

export interface NaiveEntity {
  selector?: string;
  notSelector?: string;
  tag?: string;
  notTag?: string;
  nets?: string[];
  notNets?: string[];
  ports?: Array<number | string>;
  notPorts?: Array<number | string>;
}

export interface NaiveRule {
  action: 'allow' | 'deny' | 'log' | 'pass';
  protocol?: string | number;
  notProtocol?: string | number;
  icmp?: { type?: number; code?: number };
  notICMP?: { type?: number; code?: number };
  source?: NaiveEntity;
  destination?: NaiveEntity;
}

export interface NaivePolicy {
  name: string;
  order?: number;
  selector: string;
  /** Absent: governs both directions. */
  types?: Array<'ingress' | 'egress'>;
  ingress: NaiveRule[];
  egress: NaiveRule[];
}

export interface NaiveProfile {
  name: string;
  tags: string[];
  labels: Labels;
  ingress: NaiveRule[];
  egress: NaiveRule[];
}

export interface NaiveEndpoint {
  id: string;
  ip: string;
  labels: Labels;
  profiles: string[];
}

export interface NaiveModel {
  endpoints: NaiveEndpoint[];
  policies: NaivePolicy[];
  profiles: NaiveProfile[];
}

/** One side of a flow: an endpoint of the model, or an address outside it. */
export type Party = { endpoint: NaiveEndpoint } | { ip: string };

export interface Packet {
  protocol: 'tcp' | 'udp' | 'icmp';
  port?: number;
  icmpType?: number;
  /** ICMP code; absent means 0. */
  icmpCode?: number;
}

export interface Decision {
  allowed: boolean;
  /** e.g. `policy development-frontend-ingress rule 0 (allow)`, `profile calico rule 0 (allow)`, `no policy allowed it`. */
  reason: string;
}

const PROTO_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132, udplite: 136 };

function protoNumber(p: string | number): number {
  return typeof p === 'number' ? p : /^\d+$/.test(p) ? Number(p) : PROTO_NUMBERS[p.toLowerCase()]!;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const bits = Number(len);
  const size = 2 ** (32 - bits);
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(net!) / size);
}

function effectiveLabels(model: NaiveModel, ep: NaiveEndpoint): Labels {
  const out: Record<string, string> = { ...ep.labels };
  for (const name of ep.profiles) {
    const prof = model.profiles.find((p) => p.name === name);
    if (!prof) continue;
    for (const [k, v] of Object.entries(prof.labels)) if (!(k in out)) out[k] = v;
    for (const t of prof.tags) if (!(t in out)) out[t] = '';
  }
  return out;
}

function portMatches(port: number | undefined, spec: Array<number | string>): boolean {
  if (port === undefined) return false;
  return spec.some((s) => {
    if (typeof s === 'number') return s === port;
    const [a, b] = s.split(':').map(Number);
    return b === undefined ? a === port : port >= a! && port <= b;
  });
}

function entityMatches(model: NaiveModel, e: NaiveEntity | undefined, party: Party, port: number | undefined): boolean {
  if (!e) return true;
  const labels = 'endpoint' in party ? effectiveLabels(model, party.endpoint) : undefined;
  const ip = 'endpoint' in party ? party.endpoint.ip : party.ip;
  if (e.selector !== undefined && !(labels && Selector.parse(e.selector).matches(labels))) return false;
  if (e.notSelector !== undefined && labels && Selector.parse(e.notSelector).matches(labels)) return false;
  if (e.tag !== undefined && !(labels && e.tag in labels)) return false;
  if (e.notTag !== undefined && labels && e.notTag in labels) return false;
  if (e.nets && e.nets.length && !e.nets.some((n) => inCidr(ip, n))) return false;
  if (e.notNets && e.notNets.some((n) => inCidr(ip, n))) return false;
  if (e.ports && e.ports.length && !portMatches(port, e.ports)) return false;
  if (e.notPorts && portMatches(port, e.notPorts)) return false;
  return true;
}

function ruleMatches(model: NaiveModel, r: NaiveRule, src: Party, dst: Party, pkt: Packet): boolean {
  const proto = protoNumber(pkt.protocol);
  if (r.protocol !== undefined && protoNumber(r.protocol) !== proto) return false;
  if (r.notProtocol !== undefined && protoNumber(r.notProtocol) === proto) return false;
  if (r.icmp) {
    if (pkt.protocol !== 'icmp') return false;
    if (r.icmp.type !== undefined && r.icmp.type !== pkt.icmpType) return false;
    if (r.icmp.code !== undefined && r.icmp.code !== (pkt.icmpCode ?? 0)) return false;
  }
  if (
    r.notICMP &&
    pkt.protocol === 'icmp' &&
    (r.notICMP.type === undefined || r.notICMP.type === pkt.icmpType) &&
    (r.notICMP.code === undefined || r.notICMP.code === (pkt.icmpCode ?? 0))
  )
    return false;
  // Source ports of a new flow are ephemeral: model them as 40000.
  if (!entityMatches(model, r.source, src, pkt.protocol === 'icmp' ? undefined : 40000)) return false;
  if (!entityMatches(model, r.destination, dst, pkt.protocol === 'icmp' ? undefined : pkt.port)) return false;
  return true;
}

type Verdict = { kind: 'allow' | 'deny' | 'pass' | 'none'; reason: string };

function runRules(model: NaiveModel, owner: string, rules: NaiveRule[], src: Party, dst: Party, pkt: Packet): Verdict {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (!ruleMatches(model, r, src, dst, pkt)) continue;
    if (r.action === 'log') continue;
    return { kind: r.action, reason: `${owner} rule ${i} (${r.action})` };
  }
  return { kind: 'none', reason: '' };
}

/** The decision of one endpoint's chain in one direction, as Felix makes it. */
export function evaluateDirection(model: NaiveModel, ep: NaiveEndpoint, direction: 'ingress' | 'egress', src: Party, dst: Party, pkt: Packet): Decision {
  const labels = effectiveLabels(model, ep);
  const applying = model.policies
    .filter((p) => Selector.parse(p.selector).matches(labels) && (!p.types || p.types.includes(direction)))
    .sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let passed = false;
  for (const p of applying) {
    const v = runRules(model, `policy ${p.name}`, p[direction], src, dst, pkt);
    if (v.kind === 'allow') return { allowed: true, reason: v.reason };
    if (v.kind === 'deny') return { allowed: false, reason: v.reason };
    if (v.kind === 'pass') {
      passed = true;
      break;
    }
  }
  if (applying.length > 0 && !passed) return { allowed: false, reason: 'no policy allowed it' };
  for (const name of ep.profiles) {
    const prof = model.profiles.find((p) => p.name === name);
    if (!prof) continue;
    const v = runRules(model, `profile ${prof.name}`, prof[direction], src, dst, pkt);
    if (v.kind === 'allow') return { allowed: true, reason: v.reason };
    if (v.kind === 'deny') return { allowed: false, reason: v.reason };
  }
  return { allowed: false, reason: 'profile default' };
}

/** A new flow from `src` to `dst`: both the source's egress and the destination's ingress must allow it. */
export function evaluateFlow(model: NaiveModel, src: Party, dst: Party, pkt: Packet): { allowed: boolean; egress?: Decision; ingress?: Decision } {
  const egress = 'endpoint' in src ? evaluateDirection(model, src.endpoint, 'egress', src, dst, pkt) : undefined;
  const ingress = 'endpoint' in dst ? evaluateDirection(model, dst.endpoint, 'ingress', src, dst, pkt) : undefined;
  return { allowed: (egress?.allowed ?? true) && (ingress?.allowed ?? true), egress, ingress };
}
