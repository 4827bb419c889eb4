/*
 * A generated corpus of Calico resources over every field of the rule model: fast-check draws
 * policies, profiles and IP pools, the constructs synthesize them for calicoctl v1 or Calico v3
 * (what Calico rejects, or accepts uselessly, is dropped), and the YAML files are the input
 * the import must give back.
 */
import fc from 'fast-check';
import { App } from '@dcos-cdk/core';
import { Cluster, type DcosVersion } from '@dcos-cdk/dcos';
import { CalicoIpPool, CalicoPolicy, CalicoProfile, type CalicoIpPoolProps, type CalicoPolicyProps, type CalicoProfileProps, type EntityRule, type RuleProps } from '@dcos-cdk/calico';

const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
const selector = fc.constantFrom("app == 'web'", 'has(group)', "group in {'dev', 'prod'} && !has(quarantine)", "tier != 'db'", 'all()');
const cidr = fc.constantFrom('10.0.0.0/8', '192.168.1.0/24', '10.20.30.40/32', '172.16.0.0/12');

function entity(v3: boolean): fc.Arbitrary<EntityRule> {
  const port = v3 ? fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant({ from: 8000, to: 8080 }), fc.constantFrom('http', 'metrics')) : fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant({ from: 8000, to: 8080 }));
  return fc.record(
    {
      selector: maybe(selector),
      notSelector: maybe(selector),
      nets: maybe(fc.array(cidr, { minLength: 1, maxLength: v3 ? 2 : 1 })),
      notNets: maybe(fc.array(cidr, { minLength: 1, maxLength: v3 ? 2 : 1 })),
      ports: maybe(fc.array(port, { minLength: 1, maxLength: 2 })),
      notPorts: maybe(fc.array(port, { minLength: 1, maxLength: 2 })),
      ...(v3 ? { namespaceSelector: maybe(fc.constantFrom("team == 'a'", 'has(projectcalico.org/name)')) } : { tag: maybe(fc.constantFrom('calico', 'web')), notTag: maybe(fc.constantFrom('db')) }),
    },
    { requiredKeys: [] },
  );
}

function rule(v3: boolean): fc.Arbitrary<RuleProps> {
  return fc
    .record({
      action: fc.constantFrom<RuleProps['action']>('allow', 'deny', 'log', 'pass'),
      ipVersion: maybe(fc.constant<4>(4)),
      protocol: maybe(fc.constantFrom<RuleProps['protocol']>('tcp', 'udp', 'icmp', 'sctp', 'udplite', 47)),
      notProtocol: maybe(fc.constantFrom<RuleProps['notProtocol']>('udp', 17)),
      icmp: maybe(fc.record({ type: maybe(fc.integer({ min: 1, max: 254 })), code: maybe(fc.integer({ min: 0, max: 255 })) })),
      notICMP: maybe(fc.record({ type: maybe(fc.integer({ min: 1, max: 254 })) })),
      source: maybe(entity(v3)),
      destination: maybe(entity(v3)),
    })
    .map((r) => {
      // Keep combinations Calico accepts: ICMP matches with protocol icmp, ports with tcp/udp.
      const icmp = r.protocol === 'icmp';
      const ports = r.protocol === 'tcp' || r.protocol === 'udp' || (v3 && r.protocol === 'sctp');
      const side = (e: EntityRule | undefined): EntityRule | undefined => e && Object.fromEntries(Object.entries(ports ? e : { ...e, ports: undefined, notPorts: undefined }).filter(([, v]) => v !== undefined));
      const icmpMatch = (m: RuleProps['icmp']): RuleProps['icmp'] => (icmp && m && m.type !== undefined ? Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) : undefined);
      return Object.fromEntries(Object.entries({ ...r, ipVersion: icmp ? 4 : r.ipVersion, icmp: icmpMatch(r.icmp), notICMP: icmpMatch(r.notICMP), notProtocol: r.notProtocol === r.protocol ? undefined : r.notProtocol, source: side(r.source), destination: side(r.destination) }).filter(([, v]) => v !== undefined && !(typeof v === 'object' && Object.keys(v).length === 0))) as unknown as RuleProps;
    });
}

function policy(v3: boolean): fc.Arbitrary<Omit<CalicoPolicyProps, 'name'>> {
  return fc.record(
    {
      selector,
      order: maybe(fc.constantFrom(10, 100.5, 1000)),
      types: v3 ? maybe(fc.constantFrom<Array<'ingress' | 'egress'>>(['ingress'], ['egress'], ['ingress', 'egress'])) : fc.constant(undefined),
      ingress: maybe(fc.array(rule(v3), { maxLength: 3 })),
      egress: maybe(fc.array(rule(v3), { maxLength: 2 })),
      scope: v3 ? maybe(fc.constantFrom<'global' | 'namespace'>('namespace')) : fc.constant(undefined),
      doNotTrack: maybe(fc.constant(true)),
      preDNAT: v3 ? maybe(fc.constant(true)) : fc.constant(undefined),
    },
    { requiredKeys: ['selector'] },
  );
}

function profile(v3: boolean): fc.Arbitrary<Omit<CalicoProfileProps, 'name'>> {
  return fc.record({
    tags: v3 ? fc.constant(undefined) : maybe(fc.constantFrom(['calico'], ['a', 'b'])),
    labels: maybe(fc.dictionary(fc.constantFrom('team', 'zone'), fc.constantFrom('a', 'b'), { minKeys: 1, maxKeys: 2 })),
    ingress: fc.array(rule(v3), { maxLength: 2 }),
    egress: fc.array(rule(v3), { maxLength: 2 }),
  }, { requiredKeys: ['ingress', 'egress'] });
}

const pool = fc.record({ ipip: maybe(fc.constantFrom<CalicoIpPoolProps['ipip']>('always', 'cross-subnet', 'never')), natOutgoing: maybe(fc.boolean()), disabled: maybe(fc.boolean()) });

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** One valid corpus file: a synthesized calicoctl YAML file. */
export interface CorpusFile {
  readonly file: string;
  readonly text: string;
}

/**
 * Draws `count` of each kind (deterministic seed) and synthesizes each alone for
 * `dcosVersion`, keeping the ones the constructs accept.
 */
export function calicoCorpus(dcosVersion: DcosVersion, count: number, seed: number): CorpusFile[] {
  const v3 = dcosVersion === '2.1';
  const out: CorpusFile[] = [];
  const keep = (make: (cluster: Cluster) => void): void => {
    const app = new App({ projectDir: false, context: { 'dcos-cdk:analyzeAtSynth': false } });
    const cluster = new Cluster(app, 'corpus', { dcosVersion });
    make(cluster);
    try {
      for (const a of app.synth({ write: false }).artifacts) out.push({ file: a.file.replace(/\//g, '_'), text: a.content });
    } catch {
      // Refused by the constructs: not an input.
    }
  };
  fc.sample(policy(v3), { numRuns: count, seed }).forEach((p, i) => keep((c) => new CalicoPolicy(c, `p${i}`, { ...strip(p), name: `policy-${i}`, ...(p.scope === 'namespace' ? { namespace: 'default' } : {}) })));
  fc.sample(profile(v3), { numRuns: Math.ceil(count / 4), seed: seed + 1 }).forEach((p, i) => keep((c) => new CalicoProfile(c, `r${i}`, { ...strip(p), name: `profile-${i}` })));
  fc.sample(pool, { numRuns: Math.ceil(count / 8), seed: seed + 2 }).forEach((p, i) => keep((c) => new CalicoIpPool(c, `pool${i}`, { ...strip(p), cidr: `10.${100 + i}.0.0/16`, ...(v3 ? { name: `pool-${i}` } : {}) })));
  return out;
}
