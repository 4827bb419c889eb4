/**
 * The engine against the naive reference evaluator (test/support/naive-felix.ts) on random
 * small models: the matrix cell, `decide` and `explain` of sampled flows must give the same
 * verdict and the same deciding rule in each direction.
 */
import fc from 'fast-check';
import { spec } from './arbitraries.js';
import type { Packet } from '../../../../test/support/naive-felix.js';
import { expectSameFlow, twins } from './helpers.js';

const packet: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({ protocol: fc.constant<'tcp'>('tcp'), port: fc.constantFrom(22, 79, 80, 81, 85, 90, 91, 443, 999, 1000, 1500, 2000, 2001, 40000, 65535) }),
  fc.record({ protocol: fc.constant<'udp'>('udp'), port: fc.constantFrom(80, 81, 1500) }),
  fc.record({ protocol: fc.constant<'icmp'>('icmp'), icmpType: fc.constant(8), icmpCode: fc.constantFrom(0, 0, 1) }),
  fc.record({ protocol: fc.constant<'icmp'>('icmp'), icmpType: fc.constantFrom(0, 3) }),
);

describe('analysis engine vs the naive evaluator', function () {
  this.timeout(60_000);

  it('agrees on 10,000 random small models (sampled flows: matrix cell, decide and explain)', () => {
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(fc.nat(), fc.nat(), packet), { minLength: 4, maxLength: 4 }), (s, flows) => {
        const t = twins(s);
        const sources = t.matrix.sources();
        const destinations = t.matrix.destinations();
        for (const [a, b, pkt] of flows) expectSameFlow(t, sources[a % sources.length]!, destinations[b % destinations.length]!, pkt);
      }),
      { seed: 20240611, numRuns: 10_000 },
    );
  });

  it('agrees on every flow of 300 random models (full matrices)', () => {
    const packets: Packet[] = [
      { protocol: 'tcp', port: 22 },
      { protocol: 'tcp', port: 80 },
      { protocol: 'tcp', port: 85 },
      { protocol: 'tcp', port: 1500 },
      { protocol: 'tcp', port: 40000 },
      { protocol: 'udp', port: 81 },
      { protocol: 'icmp', icmpType: 8 },
    ];
    fc.assert(
      fc.property(spec, (s) => {
        const t = twins(s);
        for (const to of t.matrix.destinations()) for (const from of t.matrix.sources()) for (const pkt of packets) expectSameFlow(t, from, to, pkt);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
