import { App } from '@dcos-cdk/core';
import { AgentSelection } from '@dcos-cdk/aws';
import { CalicoNetwork, Peer } from '@dcos-cdk/calico';
import { Cluster, Environment, type DcosVersion } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';

/** What differs between the two environments of the walkthrough. */
interface EnvironmentSpec {
  /** Suffix of the Marathon ids: production has none, development has "2". */
  readonly idSuffix: string;
  /** Who may reach the frontend's http port from outside the cluster. */
  readonly exposedTo: Peer;
}

/**
 * The walkthrough "IP per Container with Calico CNI on DC/OS" as a stack:
 * Calico on DC/OS with etcd, two environments of three apps each, isolated
 * from each other, development open to the LAN and production to the Internet.
 */
export function buildStack(app: App): Cluster {
  const cluster = new Cluster(app, 'demo', {
    dcosVersion: (app.node.tryGetContext('dcosVersion') as DcosVersion | undefined) ?? '1.9',
    privateAgents: AgentSelection.ec2({ tags: { 'dcos-role': 'private-agent' }, region: 'us-west-2' }),
    mesosDns: { ipSources: ['netinfo', 'host'] },
  });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });

  const lanCidr = app.node.tryGetContext('lanCidr') as string | undefined;
  if (!lanCidr) throw new Error("Context 'lanCidr' is missing: set it in dcos-cdk.json or pass --context lanCidr=10.0.0.0/8.");

  const environments: Record<string, EnvironmentSpec> = {
    production: { idSuffix: '', exposedTo: Peer.internet() },
    development: { idSuffix: '2', exposedTo: Peer.cidr(lanCidr, 'the company LAN') },
  };

  for (const [name, spec] of Object.entries(environments)) {
    const env = new Environment(cluster, name, { network: calico });
    const frontend = new MarathonApp(env, 'frontend', {
      id: `frontend${spec.idSuffix}`,
      image: 'nginx:alpine',
      cpus: 0.1,
      mem: 64,
      instances: 1,
      ports: [MarathonPort.tcp('http', 80)],
    });
    const tester = new MarathonApp(env, 'tester', {
      id: `tester${spec.idSuffix}`,
      image: 'donch/net-tools',
      cmd: 'ifconfig && sleep 4h',
      cpus: 0.1,
      mem: 64,
      instances: 1,
    });
    const database = new MarathonApp(env, 'database', {
      id: `database${spec.idSuffix}`,
      image: 'oscarfonts/h2',
      cpus: 0.3,
      mem: 128,
      instances: 1,
      ports: [MarathonPort.tcp('database', 1521), MarathonPort.tcp('http', 81)],
    });

    env.allowPing();
    frontend.allowFrom(tester, 'http');
    database.allowFrom(tester, 'http');
    database.allowFrom(frontend, 'database');
    frontend.allowFrom(spec.exposedTo, 'http');
  }
  return cluster;
}
