/** Random small models for property tests (shared by the naive comparison and the diff tests). */
import fc from 'fast-check';
import type { EndpointSpec, EntitySpec, ModelSpec, PolicySpec, ProfileSpec, RuleSpec } from '../../src/analysis/build-model.js';

const KEYS = ['app', 'group', 'role'];
const VALUES = ['a', 'b', 'c'];
/** Selectors the rules and policies pick from. */
export const SELECTORS = [
  '',
  'all()',
  'app == "a"',
  'group == "b"',
  'app == "a" && group == "b"',
  'app == "b" || role == "c"',
  'has(role)',
  '!has(app)',
  'app in {"a", "b"}',
  'app not in {"a"}',
  'group != "a"',
  'has(calico)',
  'has(extra)',
  'tier == "x"',
];
const NETS = ['10.0.0.0/8', '10.20.0.0/16', '0.0.0.0/0', '192.168.0.0/16', '192.168.0.0/30', '192.168.0.2/32', '192.168.0.4/32', '172.16.0.0/12'];
const PORTS: Array<number | string> = [80, 81, '80:90', 443, '1000:2000', 40000, '30000:50000', 22];

/** One of the values. */
export const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
/** Sometimes undefined. */
export const maybe = <T>(a: fc.Arbitrary<T>, freq = 3): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq });

const entity: fc.Arbitrary<EntitySpec | undefined> = maybe(
  fc.record(
    {
      selector: pick(SELECTORS),
      notSelector: pick(SELECTORS),
      tag: pick(['calico', 'extra', 'nope']),
      notTag: pick(['calico', 'extra']),
      nets: fc.array(pick(NETS), { minLength: 1, maxLength: 2 }),
      notNets: fc.array(pick(NETS), { minLength: 1, maxLength: 1 }),
      ports: fc.array(pick(PORTS), { minLength: 1, maxLength: 2 }),
      notPorts: fc.array(pick(PORTS), { minLength: 1, maxLength: 1 }),
    },
    { requiredKeys: [] },
  ),
  1,
);

/** A random rule. */
export const rule: fc.Arbitrary<RuleSpec> = fc
  .record({
    action: fc.constantFrom('allow', 'allow', 'deny', 'log', 'pass'),
    protocol: maybe(fc.constantFrom<string | number>('tcp', 'udp', 'icmp', 6, 17), 2),
    notProtocol: maybe(fc.constantFrom<string | number>('tcp', 'icmp'), 8),
    icmp: maybe(fc.record({ type: fc.constantFrom(8, 0), code: maybe(fc.constantFrom(0, 1), 2) }), 4),
    notICMP: maybe(fc.record({ type: fc.constantFrom(8, 3) }), 8),
    source: entity,
    destination: entity,
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as RuleSpec);

const labels = fc.dictionary(pick(KEYS), pick(VALUES), { maxKeys: 3 });

const profileRules = fc.array(rule, { maxLength: 2 });

/** A model of 2-5 endpoints, 1-4 policies and two profiles, over small alphabets so that rules often match. */
export const spec: fc.Arbitrary<ModelSpec> = fc
  .record({
    endpoints: fc.array(fc.record({ labels, extra: fc.boolean() }), { minLength: 2, maxLength: 5 }),
    policies: fc.array(
      fc.record({
        name: pick(['p-a', 'p-b', 'p-c', 'P-d', 'p-a.x']),
        order: maybe(fc.constantFrom(1, 2, 2.5, 10), 1),
        selector: pick(SELECTORS),
        types: maybe(fc.constantFrom<Array<'ingress' | 'egress'>>(['ingress'], ['egress'], ['ingress', 'egress'], ['egress', 'ingress']), 1),
        ingress: fc.array(rule, { maxLength: 3 }),
        egress: fc.array(rule, { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    calicoIngress: profileRules,
    calicoEgress: profileRules,
    extra: fc.record({ ingress: profileRules, egress: profileRules, labels: fc.dictionary(pick(KEYS), pick(VALUES), { maxKeys: 1 }) }),
  })
  .map(({ endpoints, policies, calicoIngress, calicoEgress, extra }) => {
    const eps: EndpointSpec[] = endpoints.map((e, i) => ({
      id: `/app${i}`,
      labels: e.labels,
      profiles: e.extra ? ['calico', 'extra'] : ['calico'],
      address: `192.168.0.${i + 2}`,
    }));
    const profiles: ProfileSpec[] = [
      { name: 'calico', tags: ['calico'], ingress: calicoIngress, egress: calicoEgress },
      { name: 'extra', tags: ['extra'], labels: extra.labels, ingress: extra.ingress, egress: extra.egress },
    ];
    const ps = policies.map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as PolicySpec);
    return { apiVersion: 'v1' as const, endpoints: eps, policies: ps, profiles };
  });

