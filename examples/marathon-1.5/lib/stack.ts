import { App } from '@dcos-cdk/core';
import { CalicoNetwork, Peer } from '@dcos-cdk/calico';
import { Cluster, Environment, type DcosVersion } from '@dcos-cdk/dcos';
import { Constraint, HealthCheck, MarathonApp, MarathonPort, Networking, Volume } from '@dcos-cdk/marathon';

/** What differs between the two environments. */
interface EnvironmentSpec {
  /** Who may reach the frontend's http port from outside the cluster. */
  readonly exposedTo: Peer;
  /** Instances of the stateless apps. */
  readonly instances: number;
}

/** The apps of one environment, for tests. */
export interface ShopApps {
  readonly environment: Environment;
  readonly database: MarathonApp;
  readonly api: MarathonApp;
  readonly frontend: MarathonApp;
  readonly metrics: MarathonApp;
}

/**
 * A three-tier shop on DC/OS 1.10+ (Marathon 1.5: `networks` and
 * `container.portMappings`), in two environments that each keep their apps
 * in their own Marathon group (`/production`, `/development`):
 *
 * - `database`: PostgreSQL on a local persistent volume, its password from
 *   the DC/OS Enterprise secret store, one per agent;
 * - `api`: reads the database through its dcos-net name, waits for it
 *   (dependencies), offers a VIP, Mesos HTTP health and readiness checks;
 * - `frontend`: nginx reaching the API through the VIP, open to the
 *   Internet (production) or the LAN (development);
 * - `metrics`: a node exporter on every agent, host networking (not an
 *   endpoint of the Calico network).
 *
 * The same stack synthesizes for DC/OS 1.9 (Marathon 1.4 JSON): set the
 * `dcosVersion` context.
 */
export function buildStack(app: App): { cluster: Cluster; shops: ShopApps[] } {
  const cluster = new Cluster(app, 'shop', {
    dcosVersion: (app.node.tryGetContext('dcosVersion') as DcosVersion | undefined) ?? '1.10',
    variant: 'enterprise',
    mesosDns: { ipSources: ['netinfo', 'host'] },
  });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });

  const lanCidr = app.node.tryGetContext('lanCidr') as string | undefined;
  if (!lanCidr) throw new Error("Context 'lanCidr' is missing: set it in dcos-cdk.json or pass --context lanCidr=10.0.0.0/8.");

  const environments: Record<string, EnvironmentSpec> = {
    production: { exposedTo: Peer.internet(), instances: 3 },
    development: { exposedTo: Peer.cidr(lanCidr, 'the company LAN'), instances: 1 },
  };

  const shops: ShopApps[] = [];
  for (const [name, spec] of Object.entries(environments)) {
    const environment = new Environment(cluster, name, { network: calico, marathonGroup: `/${name}` });
    const dbPassword = { source: `shop/${name}/database-password` };

    const database = new MarathonApp(environment, 'database', {
      image: 'postgres:9.6',
      cpus: 0.5,
      mem: 512,
      ports: [MarathonPort.tcp('pg', 5432)],
      container: { volumes: [Volume.persistent('pgdata', { size: 2048 })] },
      env: { PGDATA: '/mnt/mesos/sandbox/pgdata/data', POSTGRES_PASSWORD: { secret: 'dbPassword' } },
      secrets: { dbPassword },
      constraints: [Constraint.unique('hostname')],
      healthChecks: [HealthCheck.mesosTcp({ port: 'pg', gracePeriodSeconds: 120, intervalSeconds: 10 })],
      upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 },
      unreachableStrategy: 'disabled',
    });

    const api = new MarathonApp(environment, 'api', {
      image: 'shop/api:1.4.2',
      instances: spec.instances,
      cpus: 0.25,
      mem: 256,
      ports: [MarathonPort.tcp('http', 8080, { vip: true })],
      env: {
        DATABASE_URL: `postgres://shop@${database.dns.containerIp}:5432/shop`,
        DATABASE_PASSWORD: { secret: 'dbPassword' },
      },
      secrets: { dbPassword },
      constraints: [Constraint.maxPer('hostname', 2), Constraint.groupBy('zone')],
      healthChecks: [HealthCheck.mesosHttp({ port: 'http', path: '/health', gracePeriodSeconds: 60 })],
      readinessChecks: [{ port: 'http', path: '/ready', intervalSeconds: 5, timeoutSeconds: 2 }],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
      dependsOn: [database],
    });

    const frontend = new MarathonApp(environment, 'frontend', {
      image: 'nginx:alpine',
      instances: spec.instances,
      cpus: 0.1,
      mem: 64,
      ports: [MarathonPort.tcp('http', 80)],
      env: { API_URL: `http://${api.dns.vip('http').address}` },
      constraints: [Constraint.unique('hostname')],
      healthChecks: [HealthCheck.mesosHttp({ port: 'http', path: '/' })],
      dependsOn: [api],
    });

    const metrics = new MarathonApp(environment, 'metrics', {
      image: 'prom/node-exporter:v0.15.2',
      container: { type: 'DOCKER' },
      networking: Networking.host(),
      ports: [MarathonPort.tcp('metrics', 0)],
      cpus: 0.1,
      mem: 32,
      constraints: [Constraint.unique('hostname')],
      healthChecks: [HealthCheck.http({ port: 'metrics', path: '/metrics' })],
    });

    database.allowFrom(api, 'pg');
    api.allowFrom(frontend, 'http');
    frontend.allowFrom(spec.exposedTo, 'http');
    shops.push({ environment, database, api, frontend, metrics });
  }
  return { cluster, shops };
}
