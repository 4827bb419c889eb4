import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { App } from '@dcos-cdk/core';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { canonicalPolicy, parseCalicoYaml, readCalicoYaml, renderCalicoResources, Selector, validatePolicy, type PolicyResource, type Protocol, type RuleProps } from '@dcos-cdk/calico';
import { buildStack } from '../../../../examples/ip-per-container/lib/stack.js';

const walkthrough = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/ip-per-container/walkthrough');
const PLACEHOLDER = '<your-lan-CIDR>';

/**
 * calicoctl's view of a v1 document: selectors in canonical form, a bare
 * net a /32, numeric port strings as numbers, and empty or null fields
 * (which calicoctl treats as absent) left out.
 */
function normalise(x: unknown, key?: string): unknown {
  if (x === null || x === undefined) return undefined;
  if (Array.isArray(x)) {
    const items = x.map((v) => normalise(v, key === 'ports' || key === 'notPorts' ? 'port' : undefined)).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) {
      const v = normalise((x as Record<string, unknown>)[k], k);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (typeof x === 'string') {
    if (key === 'selector' || key === 'notSelector') return Selector.parse(x, { calicoVersion: 'v1' }).toString();
    if (key === 'net' || key === 'notNet') return x.includes('/') ? x : `${x}/32`;
    if (key === 'port' && /^\d+$/.test(x)) return Number(x);
  }
  return x;
}

describe('round trip: calicoctl YAML -> rule model -> calicoctl YAML', () => {
  describe("the walkthrough's own files (calicoctl v1)", () => {
    const files = readdirSync(walkthrough).filter((f) => f.endsWith('.yaml')).sort();

    it('are all read', () => {
      expect(files).to.deep.equal(['allow-dev-frontend-database.yaml', 'allow-dev-lan-frontend.yaml', 'allow-dev-pings.yaml', 'allow-dev-tester-database.yaml', 'allow-dev-tester-frontend.yaml', 'calico-profile.yaml']);
    });

    for (const file of files) {
      it(`${file}: parse -> render -> parse gives the same resources, and the rendering means what the file means`, () => {
        let text = readFileSync(join(walkthrough, file), 'utf8');
        if (text.includes(PLACEHOLDER)) {
          // As published the file is not valid input: calicoctl rejects the placeholder, at its position.
          const raw = readCalicoYaml(text, file);
          expect(raw.resources).to.deep.equal([]);
          expect(raw.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path} ${i.message}`)).to.deep.equal([`${file}:11:12 spec.ingress[0].source.net '${PLACEHOLDER}' is not an IP address or CIDR.`]);
          text = text.replace(PLACEHOLDER, '10.20.0.0/16');
        }
        const first = readCalicoYaml(text, file);
        expect(first.issues.filter((i) => i.severity === 'error')).to.deep.equal([]);
        const rendered = renderCalicoResources(first.resources, 'v1');
        const second = parseCalicoYaml(rendered, `${file} (rendered)`);
        expect(second.resources).to.deep.equal(first.resources);
        expect(renderCalicoResources(second.resources, 'v1')).to.equal(rendered);
        expect(normalise(parse(rendered))).to.deep.equal(normalise(parse(text)));
      });
    }

    it('allow-dev-pings.yaml reads with a warning at its icmp: calicoctl v1 takes it, but it never matches as meant', () => {
      const r = readCalicoYaml(readFileSync(join(walkthrough, 'allow-dev-pings.yaml'), 'utf8'), 'allow-dev-pings.yaml');
      expect(r.issues.map((i) => `${i.severity} ${i.line}:${i.column} ${i.message}`)).to.deep.equal(['warning 10:7 icmp is set but protocol is not set, so the ICMP match never applies as meant.']);
    });

    it('all the files as one v1 list, and the list back', () => {
      const text = files.map((f) => readFileSync(join(walkthrough, f), 'utf8').replace(PLACEHOLDER, '10.20.0.0/16'));
      const resources = text.flatMap((t, i) => readCalicoYaml(t, files[i]!).resources);
      const list = renderCalicoResources(resources, 'v1');
      expect(list.startsWith('- apiVersion: v1\n')).to.equal(true);
      expect(parseCalicoYaml(list, 'all.yaml').resources).to.deep.equal(resources);
    });
  });

  for (const [version, dcosVersion] of [['v1', '1.9'], ['v3', '2.1']] as const) {
    it(`the example's synthesized Calico ${version} files read back and render to the same bytes`, () => {
      const app = new App({ projectDir: false, context: { lanCidr: '10.20.0.0/16', dcosVersion } });
      buildStack(app);
      const calico = app.synth({ write: false }).artifacts.filter((a) => a.kind.startsWith('calico-'));
      expect(calico.length).to.be.greaterThan(5);
      for (const a of calico) {
        const r = parseCalicoYaml(a.content, a.file);
        expect(r.issues, a.file).to.deep.equal([]);
        expect(r.located[0]!.version).to.equal(version);
        const again = renderCalicoResources(r.resources, version);
        expect(again, a.file).to.equal(a.content);
        expect(parseCalicoYaml(again, a.file).resources).to.deep.equal(r.resources);
      }
    });
  }

  describe('any valid policy (property)', () => {
    const selector = fc.constantFrom('all()', "app == 'web'", 'has(calico) && tier in {"b", "a"}', '!has(x) || y != "z"');
    const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 3000 })).map(([from, d]) => ({ from, to: from + d })));
    const net = fc.constantFrom('10.0.0.0/8', '192.168.1.7', '10.1.2.3/24', '0.0.0.0/0');
    const entity = fc.record(
      { selector, notSelector: selector, nets: fc.array(net, { minLength: 1, maxLength: 1 }), notNets: fc.array(net, { minLength: 1, maxLength: 1 }), ports: fc.array(port, { minLength: 1, maxLength: 3 }), notPorts: fc.array(port, { minLength: 1, maxLength: 2 }), tag: fc.constantFrom('calico', 'web') },
      { requiredKeys: [] },
    );
    const rule: fc.Arbitrary<RuleProps> = fc.record(
      {
        action: fc.constantFrom('allow', 'deny', 'log', 'pass'),
        ipVersion: fc.constant(4 as const),
        protocol: fc.constantFrom<Protocol[]>('tcp', 'udp', 6, 17),
        notProtocol: fc.constantFrom<Protocol[]>('icmp', 'sctp', 132),
        source: entity,
        destination: entity,
      },
      { requiredKeys: ['action', 'protocol'] },
    );
    const policy = (version: CalicoVersion) =>
      fc.record({ order: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }), ingress: fc.array(rule, { maxLength: 3 }), egress: fc.array(rule, { maxLength: 3 }), selector }).map(
        (p): PolicyResource => ({
          kind: 'policy',
          name: 'p',
          scope: 'global',
          ...(p.order === undefined ? {} : { order: p.order }),
          selector: p.selector,
          ...(version === 'v3' ? { types: ['ingress', 'egress'] as const } : {}),
          // v3 has no tags: keep the property about what each version writes.
          ingress: version === 'v3' ? p.ingress.map(untag) : p.ingress,
          egress: version === 'v3' ? p.egress.map(untag) : p.egress,
        }),
      );

    for (const version of ['v1', 'v3'] as const) {
      it(`${version}: parse(render(policy)) is the policy's canonical form; v1 output never holds a field calicoctl v1.3 rejects`, () => {
        fc.assert(
          fc.property(policy(version), (p) => {
            const { model } = validatePolicy(p, version);
            expect(model).to.not.equal(undefined);
            const text = renderCalicoResources([p], version);
            if (version === 'v1') expect(text).to.not.match(/\b(types|preDNAT|nets|notNets|annotations|applyOnForward):/);
            expect(parseCalicoYaml(text, 'p.yaml').resources).to.deep.equal([canonicalPolicy(model!)]);
          }),
          { numRuns: 150 },
        );
      });
    }
  });
});

function untag(r: RuleProps): RuleProps {
  const strip = (e: RuleProps['source']) => {
    if (!e) return e;
    const { tag: _tag, notTag: _notTag, ...rest } = e;
    return rest;
  };
  return { ...r, source: strip(r.source), destination: strip(r.destination) };
}
