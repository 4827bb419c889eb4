/*
 * The round trip on generated corpora covering every field the typed props model: Marathon
 * apps rendered from random MarathonApp props (Marathon 1.4 and 1.5 JSON), and Calico
 * policies, profiles and pools rendered from random constructs (calicoctl v1 and Calico v3).
 * Each imports without a single override, synthesizes back to exactly the same JSON (and the
 * same canonical Calico resources), and the generated code compiles and runs.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonEqual } from '@dcos-cdk/core';
import { readCalicoYaml, type EntityRule, type RuleProps } from '@dcos-cdk/calico';
import type { MarathonAppProps } from '@dcos-cdk/marathon';
import { importStack } from '../../src/import/index.js';
import { calicoCorpus } from './corpus-calico.js';
import { marathonCorpus, type CorpusApp } from './corpus-marathon.js';
import { appsIn, bundleApps, bundleCalico, calicoOf, project, synthGenerated, typecheck } from './support.js';

const ALL_PROPS: ReadonlyArray<keyof MarathonAppProps> = [
  'id', 'image', 'container', 'cmd', 'args', 'user', 'cpus', 'mem', 'disk', 'gpus', 'instances', 'networking', 'ports', 'networkLabels', 'labels', 'env', 'secrets',
  'constraints', 'healthChecks', 'readinessChecks', 'upgradeStrategy', 'backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds', 'fetch', 'killSelection',
  'unreachableStrategy', 'taskKillGracePeriodSeconds', 'acceptedResourceRoles', 'executor', 'residency', 'tty', 'dependsOn',
];

/** The features of the typed props the corpus exercises. */
function features(corpus: readonly CorpusApp[]): Set<string> {
  const out = new Set<string>();
  for (const { props } of corpus) {
    for (const k of Object.keys(props)) out.add(k);
    const n = props.networking;
    out.add(`networking:${n === undefined ? 'environment' : n.mode === 'container' ? 'cni' : n.mode}`);
    for (const k of Object.keys(props.container ?? {})) out.add(`container.${k}`);
    for (const v of props.container?.volumes ?? []) out.add(`volume:${v.kind}`);
    for (const c of props.constraints ?? []) out.add(`constraint:${c.operator}`);
    for (const h of props.healthChecks ?? []) out.add(`check:${h.protocol}`);
    for (const p of props.ports ?? []) {
      out.add(p.name === undefined ? 'port:unnamed' : 'port:named');
      out.add(`port:${p.protocol}`);
      for (const k of ['hostPort', 'servicePort', 'labels'] as const) if (p[k] !== undefined) out.add(`port:${k}`);
      if (p.vip !== undefined) out.add(`port:vip-${typeof p.vip}`);
    }
  }
  return out;
}

for (const [dcosVersion, seed] of [['1.9', 42], ['1.10', 4242]] as const) {
  describe(`dcos-cdk import: a generated corpus of Marathon ${dcosVersion === '1.9' ? '1.4' : '1.5'} apps`, function () {
    this.timeout(180_000);
    const corpus = marathonCorpus(dcosVersion, 300, seed);
    const dir = project();
    const written: Array<{ file: string; json: Record<string, unknown> }> = [];

    it('covers every field the typed props model', () => {
      expect(corpus.length).to.be.greaterThan(200);
      const seen = features(corpus);
      const wanted = [
        ...ALL_PROPS.filter((p) => dcosVersion !== '1.9' || p !== 'tty'),
        'networking:environment', 'networking:cni', 'networking:host', 'networking:bridge',
        'container.type', 'container.forcePullImage', 'container.privileged', 'container.parameters', 'container.volumes',
        'volume:host', 'volume:persistent', 'constraint:UNIQUE', 'constraint:CLUSTER', 'constraint:GROUP_BY', 'constraint:LIKE', 'constraint:UNLIKE', 'constraint:MAX_PER',
        'check:HTTP', 'check:HTTPS', 'check:TCP', 'check:MESOS_HTTP', 'check:MESOS_HTTPS', 'check:MESOS_TCP', 'check:COMMAND',
        'port:named', 'port:unnamed', 'port:tcp', 'port:udp', 'port:hostPort', 'port:servicePort', 'port:labels', 'port:vip-boolean', 'port:vip-string',
        ...(dcosVersion === '1.9' ? [] : ['container.pullConfigSecret', 'volume:secret']),
      ];
      expect(wanted.filter((w) => !seen.has(w))).to.deep.equal([]);
    });

    it('imports every app without an override and synthesizes exactly the same JSON', () => {
      corpus.forEach((c, i) => {
        const r = importStack([{ file: `app${i}.json`, text: JSON.stringify(c.json, null, 2) }], { dcosVersion });
        expect(r.plan.apps[0]!.overrides, `app${i}.json`).to.deep.equal([]);
        const app = appsIn(r.bundle.artifacts).get(String(c.json.id));
        expect(jsonEqual(app, c.json), `app${i}.json:\n${JSON.stringify(c.json)}\n${JSON.stringify(app)}`).to.equal(true);
        if (i % 15 === 0) {
          const file = join(dir, `app${i}.ts`);
          writeFileSync(file, r.code);
          written.push({ file, json: c.json });
        }
      });
    });

    it('the generated code (a sample) runs and gives back the same JSON', async () => {
      expect(written.length).to.be.greaterThan(10);
      for (const w of written) expect(jsonEqual(bundleApps(await synthGenerated(w.file)).get(String(w.json.id)), w.json), w.file).to.equal(true);
    });

    it('the generated code (the same sample) compiles under tsc --strict', () => {
      expect(typecheck(written.map((w) => w.file))).to.deep.equal([]);
    });
  });
}

/** Fields of the rule model the Calico corpus uses. */
function calicoFeatures(files: ReadonlyArray<{ file: string; text: string }>): Set<string> {
  const out = new Set<string>();
  const entity = (side: string, e: EntityRule | undefined): void => {
    for (const k of Object.keys(e ?? {})) out.add(`${side}.${k}`);
  };
  const rules = (list: readonly RuleProps[]): void => {
    for (const r of list) {
      out.add(`action:${r.action}`);
      for (const k of Object.keys(r)) out.add(`rule.${k}`);
      entity('source', r.source);
      entity('destination', r.destination);
    }
  };
  for (const f of files) {
    for (const r of readCalicoYaml(f.text, f.file).resources) {
      for (const [k, v] of Object.entries(r)) if (v !== undefined && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) out.add(`${r.kind}.${k}`);
      if (r.kind !== 'ipPool') rules([...r.ingress, ...r.egress]);
    }
  }
  return out;
}

for (const [dcosVersion, seed] of [['1.9', 7], ['2.1', 77]] as const) {
  const v3 = dcosVersion === '2.1';
  describe(`dcos-cdk import: a generated corpus of ${v3 ? 'Calico v3' : 'calicoctl v1'} resources`, function () {
    this.timeout(180_000);
    const files = calicoCorpus(dcosVersion, 160, seed);

    it('covers every field of the rule model', () => {
      const seen = calicoFeatures(files);
      const entityFields = ['selector', 'notSelector', 'nets', 'notNets', 'ports', 'notPorts', ...(v3 ? ['namespaceSelector'] : ['tag', 'notTag'])];
      const wanted = [
        'action:allow', 'action:deny', 'action:log', 'action:pass',
        ...['ipVersion', 'protocol', 'notProtocol', 'icmp', 'notICMP', 'source', 'destination'].map((k) => `rule.${k}`),
        ...entityFields.flatMap((k) => [`source.${k}`, `destination.${k}`]),
        'policy.order', 'policy.ingress', 'policy.egress', 'policy.doNotTrack', ...(v3 ? ['policy.types', 'policy.namespace', 'policy.preDNAT', 'policy.applyOnForward'] : []),
        'profile.labels', 'profile.ingress', 'profile.egress', ...(v3 ? [] : ['profile.tags']),
        'ipPool.ipipMode', 'ipPool.natOutgoing', 'ipPool.disabled',
      ];
      expect(wanted.filter((w) => !seen.has(w))).to.deep.equal([]);
    });

    it('imports them in one stack whose code compiles and synthesizes the same resources', async () => {
      expect(files.length).to.be.greaterThan(100);
      const r = importStack(files, { dcosVersion });
      expect(r.plan.calico).to.have.length(files.length);
      const dir = project();
      const file = join(dir, 'calico.ts');
      writeFileSync(file, r.code);
      expect(bundleCalico(await synthGenerated(file))).to.deep.equal(calicoOf(files));
      expect(typecheck([file])).to.deep.equal([]);
    });
  });
}
