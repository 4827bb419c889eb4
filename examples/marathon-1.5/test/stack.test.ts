import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Bundle } from '@dcos-cdk/core';
import { buildStack } from '../lib/stack.js';
import { expectAppsMatchSchema } from '../../../packages/marathon/test/support.js';
import { modelOfBundle } from '../../../test/support/bundle-model.js';
import { evaluateFlow, type NaiveModel, type Packet } from '../../../test/support/naive-felix.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function synth(context: Record<string, string> = {}, outdir?: string): Bundle {
  const app = new App({ projectDir: exampleDir, outdir: outdir ?? join(mkdtempSync(join(tmpdir(), 'm15-')), 'dcos.out'), context });
  buildStack(app);
  return app.synth({ write: outdir !== undefined });
}

function app(bundle: Bundle, id: string): Record<string, unknown> {
  const a = bundle.artifacts.find((x) => x.id === `marathon-app:${id}`);
  if (!a) throw new Error(`no app ${id} in ${bundle.artifacts.map((x) => x.id).join(', ')}`);
  return JSON.parse(a.content) as Record<string, unknown>;
}

const labels = (app: string, group: string) => ({ app, group });

describe('examples/marathon-1.5', () => {
  const bundle = synth();

  it('targets DC/OS 1.10 with Marathon 1.5 and keeps each environment in its Marathon group', () => {
    expect(bundle.manifest.targets).to.deep.equal({ dcos: '1.10', marathon: '1.5', calico: 'v1' });
    const apps = bundle.manifest.artifacts.filter((a) => a.kind === 'marathon-app');
    expect(apps.map((a) => a.file).sort()).to.deep.equal(
      ['api', 'database', 'frontend', 'metrics'].flatMap((n) => [`marathon/development/${n}.json`, `marathon/production/${n}.json`]).sort(),
    );
  });

  it('writes every app in the 1.5 format (networks, container.portMappings) and each matches Marathon 1.5\'s JSON schema', () => {
    for (const a of bundle.artifacts.filter((x) => x.kind === 'marathon-app')) {
      const json = JSON.parse(a.content) as Record<string, unknown>;
      expect(json, a.id).to.have.property('networks');
      expect(json, a.id).to.not.have.property('ipAddress');
    }
    expectAppsMatchSchema(bundle);
  });

  it('the api: VIP, Mesos health check, readiness check, constraints, secret, database address, dependency', () => {
    expect(app(bundle, '/production/api')).to.deep.equal({
      id: '/production/api',
      container: {
        type: 'MESOS',
        docker: { image: 'shop/api:1.4.2' },
        portMappings: [{ containerPort: 8080, name: 'http', protocol: 'tcp', labels: { VIP_0: '/production/api:8080' } }],
      },
      instances: 3,
      cpus: 0.25,
      mem: 256,
      env: {
        DATABASE_URL: 'postgres://shop@database-production.marathon.containerip.dcos.thisdcos.directory:5432/shop',
        DATABASE_PASSWORD: { secret: 'dbPassword' },
      },
      secrets: { dbPassword: { source: 'shop/production/database-password' } },
      networks: [{ mode: 'container', name: 'calico', labels: labels('api', 'production') }],
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 60 }],
      readinessChecks: [{ path: '/ready', portName: 'http', intervalSeconds: 5, timeoutSeconds: 2 }],
      constraints: [['hostname', 'MAX_PER', '2'], ['zone', 'GROUP_BY']],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
      dependencies: ['/production/database'],
    });
  });

  it('the database: persistent volume, secret, one per agent; the frontend reaches the api through its VIP name', () => {
    const db = app(bundle, '/development/database');
    expect((db['container'] as Record<string, unknown>)['volumes']).to.deep.equal([{ containerPath: 'pgdata', mode: 'RW', persistent: { size: 2048 } }]);
    expect(db['constraints']).to.deep.equal([['hostname', 'UNIQUE']]);
    expect(db['upgradeStrategy']).to.deep.equal({ minimumHealthCapacity: 0, maximumOverCapacity: 0 });
    expect(db['unreachableStrategy']).to.equal('disabled');
    expect(db['healthChecks']).to.deep.equal([{ protocol: 'MESOS_TCP', portIndex: 0, gracePeriodSeconds: 120, intervalSeconds: 10 }]);
    expect(app(bundle, '/development/frontend')['env']).to.deep.equal({ API_URL: 'http://developmentapi.marathon.l4lb.thisdcos.directory:8080' });
  });

  it('the metrics agent uses host networking: networks [host], portDefinitions, no network labels', () => {
    const m = app(bundle, '/production/metrics');
    expect(m['networks']).to.deep.equal([{ mode: 'host' }]);
    expect(m['portDefinitions']).to.deep.equal([{ port: 0, protocol: 'tcp', name: 'metrics' }]);
    expect(m['container']).to.deep.equal({ type: 'DOCKER', docker: { image: 'prom/node-exporter:v0.15.2' } });
    expect(m['healthChecks']).to.deep.equal([{ protocol: 'HTTP', path: '/metrics', portIndex: 0 }]);
  });

  it('orders the deployment by the dependencies: database, then api, then frontend', () => {
    const order = bundle.manifest.artifacts.map((a) => a.id);
    const dependsOn = (id: string) => bundle.manifest.artifacts.find((a) => a.id === id)!.dependsOn;
    for (const env of ['production', 'development']) {
      expect(dependsOn(`marathon-app:/${env}/api`)).to.include(`marathon-app:/${env}/database`);
      expect(dependsOn(`marathon-app:/${env}/frontend`)).to.include(`marathon-app:/${env}/api`);
      expect(order.indexOf(`marathon-app:/${env}/database`)).to.be.lessThan(order.indexOf(`marathon-app:/${env}/api`));
      expect(order.indexOf(`marathon-app:/${env}/api`)).to.be.lessThan(order.indexOf(`marathon-app:/${env}/frontend`));
      expect(dependsOn(`marathon-app:/${env}/metrics`)).to.deep.equal([]);
    }
  });

  it('lets exactly frontend->api and api->database through inside each environment, and isolates the environments', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'm15-')), 'dcos.out');
    synth({}, dir);
    const model: NaiveModel = modelOfBundle(dir);
    const tcp = (port: number): Packet => ({ protocol: 'tcp', port });
    const allowed: string[] = [];
    for (const src of model.endpoints) {
      for (const dst of model.endpoints) {
        if (src === dst) continue;
        for (const port of [80, 8080, 5432]) if (evaluateFlow(model, { endpoint: src }, { endpoint: dst }, tcp(port)).allowed) allowed.push(`${src.id} -> ${dst.id} ${port}`);
      }
    }
    expect(model.endpoints.map((e) => e.id).sort()).to.deep.equal(['api', 'database', 'frontend'].flatMap((n) => [`/development/${n}`, `/production/${n}`]).sort());
    expect(allowed.sort()).to.deep.equal(
      ['production', 'development'].flatMap((e) => [`/${e}/frontend -> /${e}/api 8080`, `/${e}/api -> /${e}/database 5432`]).sort(),
    );
  });

  it('synthesizes the same stack for DC/OS 1.9 in the Marathon 1.4 format', () => {
    const v14 = synth({ dcosVersion: '1.9' });
    expect(v14.manifest.targets['marathon']).to.equal('1.4');
    expectAppsMatchSchema(v14);
    expect(app(v14, '/production/api')).to.deep.include({
      container: { type: 'MESOS', docker: { image: 'shop/api:1.4.2' } },
      ipAddress: {
        networkName: 'calico',
        labels: labels('api', 'production'),
        discovery: { ports: [{ name: 'http', number: 8080, protocol: 'tcp', labels: { VIP_0: '/production/api:8080' } }] },
      },
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/health', port: 8080, gracePeriodSeconds: 60 }],
      dependencies: ['/production/database'],
    });
    const metrics = app(v14, '/production/metrics');
    expect(metrics['container']).to.deep.equal({ type: 'DOCKER', docker: { image: 'prom/node-exporter:v0.15.2', network: 'HOST' } });
    expect(metrics).to.not.have.property('networks');
  });
});
