import { expect } from 'chai';
import { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import type { MarathonVersion } from '../../../testing/src/emulator/index.js';
import { canonicalApp, compareApps, updateBody } from '../../src/deploy/index.js';

/** App definitions as a bundle (or a person) writes them, with few fields. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  'walkthrough frontend (1.4 ipAddress + discovery port)': {
    id: '/frontend',
    container: { type: 'MESOS', docker: { image: 'nginx:alpine' } },
    instances: 1,
    cpus: 0.1,
    mem: 64,
    ipAddress: { networkName: 'calico', labels: { app: 'frontend', group: 'production' }, discovery: { ports: [{ name: 'http', number: 80, protocol: 'tcp' }] } },
    labels: { DCOS_CDK_STACK: 'demo' },
  },
  'walkthrough tester (no ports)': {
    id: '/tester',
    cmd: 'ifconfig && sleep 4h',
    container: { type: 'MESOS', docker: { image: 'donch/net-tools' } },
    cpus: 0.1,
    mem: 64,
    ipAddress: { networkName: 'calico', labels: { app: 'tester', group: 'production' } },
  },
  'host networking, dynamic port, health check with defaults, legacy uris': {
    id: '/web',
    cmd: 'python3 -m http.server $PORT0',
    cpus: 0.2,
    portDefinitions: [{ port: 0, name: 'http' }],
    healthChecks: [{ protocol: 'HTTP', path: '/' }],
    uris: ['https://example.com/site.tgz'],
    upgradeStrategy: { minimumHealthCapacity: 0.5 },
  },
  'docker bridge with port mappings (1.4 form)': {
    id: '/bridge',
    container: { type: 'DOCKER', docker: { image: 'nginx', network: 'BRIDGE', portMappings: [{ containerPort: 80, name: 'web' }] } },
    cpus: 0.1,
    mem: 32,
  },
  '1.5 networks form with container port mappings': {
    id: '/net15',
    container: { type: 'MESOS', docker: { image: 'nginx' }, portMappings: [{ containerPort: 80, name: 'http', labels: { VIP_0: '/net15:80' } }] },
    networks: [{ mode: 'container', name: 'calico', labels: { app: 'x' } }],
    cpus: 0.1,
    mem: 32,
    env: { A: '1' },
    constraints: [['hostname', 'UNIQUE']],
  },
};

async function roundTrip(version: MarathonVersion, app: Record<string, unknown>): Promise<Record<string, unknown>> {
  const emu = await MarathonEmulator.start({ marathonVersion: version, deploymentDurationMs: 1 });
  try {
    const post = await fetch(`${emu.url}/service/marathon/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(app) });
    const text = await post.text();
    if (post.status !== 201) throw new Error(`${post.status} ${text}`);
    const get = await fetch(`${emu.url}/service/marathon/v2/apps${String(app.id)}`);
    return ((await get.json()) as { app: Record<string, unknown> }).app;
  } finally {
    await emu.stop();
  }
}

describe('deploy/normalize (Marathon app comparison)', () => {
  for (const version of ['1.4', '1.5'] as const) {
    for (const [name, app] of Object.entries(SAMPLES)) {
      if (version === '1.4' && Array.isArray(app.networks)) continue;
      it(`an unchanged app compares equal to what Marathon ${version} returns: ${name}`, async () => {
        const live = await roundTrip(version, app);
        expect(compareApps(live, app)).to.deep.equal([]);
      });
    }
  }

  it('reports real changes field by field, in the canonical (1.5) shape', async () => {
    const app = SAMPLES['walkthrough frontend (1.4 ipAddress + discovery port)']!;
    const live = await roundTrip('1.5', app);
    const changed = { ...app, cpus: 0.2, ipAddress: { ...(app.ipAddress as object), labels: { app: 'frontend', group: 'development' } } };
    expect(compareApps(live, changed)).to.deep.equal([
      { path: 'cpus', before: 0.1, after: 0.2 },
      { path: 'networks[0].labels.group', before: 'production', after: 'development' },
    ]);
    const web = SAMPLES['host networking, dynamic port, health check with defaults, legacy uris']!;
    const liveWeb = await roundTrip('1.4', web);
    const { healthChecks, ...withoutChecks } = web;
    void healthChecks;
    const diff = compareApps(liveWeb, withoutChecks);
    expect(diff.map((f) => f.path)).to.deep.equal(['healthChecks']);
    expect(diff[0]!.after).to.equal(undefined);
    expect(diff[0]!.before).to.have.length(1);
  });

  it('drops response-only fields and converts legacy fields', () => {
    const c = canonicalApp({ id: 'x', version: 'v', tasks: [], tasksRunning: 1, ports: [8080], uris: ['a.zip'], ipAddress: null });
    expect(c).to.deep.equal({ id: '/x', portDefinitions: [{ port: 8080, protocol: 'tcp' }], fetch: [{ uri: 'a.zip', extract: true }] });
  });

  it('update bodies reset collections the bundle dropped (for Marathon 1.4 merge semantics)', () => {
    const live = { id: '/a', cmd: 'x', env: { A: '1' }, constraints: [['hostname', 'UNIQUE']], healthChecks: [], labels: { L: '1' } };
    expect(updateBody(live, { id: '/a', cmd: 'y', labels: {} })).to.deep.equal({ id: '/a', cmd: 'y', labels: {}, constraints: [], env: {} });
  });
});
