import { App } from '@dcos-cdk/core';
import { CalicoNetwork, CalicoPolicy, Peer, Rule, labelsSelector } from '@dcos-cdk/calico';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';
import { WALKTHROUGH as W, type Shape } from './scenarios.js';

/** Builds the shape as a dcos-cdk stack under `app`. */
export function buildOurs(app: App, shape: Shape): Cluster {
  const cluster = new Cluster(app, 'bench', { dcosVersion: '1.9' });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
  const lan = Peer.cidr(W.lanCidr, 'the company LAN');
  if (shape.kind === 'environments') {
    for (let i = 0; i < shape.environments; i++) {
      const env = new Environment(cluster, `env-${i}`, { network: calico });
      addTriple(env, '', `-${i}`, lan);
      addEnvironmentPolicies(env, calico);
    }
  } else {
    const env = new Environment(cluster, 'big', { network: calico });
    for (let k = 0; k < shape.triples; k++) addTriple(env, `-${k}`, `-${k}`, lan);
    addEnvironmentPolicies(env, calico);
  }
  return cluster;
}

/** The walkthrough's three apps and their ingress rules (two ingress policies). */
function addTriple(env: Environment, idSuffix: string, marathonSuffix: string, lan: Peer): void {
  const ports = (list: readonly { name: string; port: number }[]) => list.map((p) => MarathonPort.tcp(p.name, p.port));
  const frontend = new MarathonApp(env, `frontend${idSuffix}`, {
    id: `frontend${marathonSuffix}`,
    image: W.frontend.image,
    cpus: 0.1,
    mem: 64,
    instances: 1,
    ports: ports(W.frontend.ports),
  });
  const tester = new MarathonApp(env, `tester${idSuffix}`, { id: `tester${marathonSuffix}`, image: W.tester.image, cmd: W.tester.cmd, cpus: 0.1, mem: 64, instances: 1 });
  const database = new MarathonApp(env, `database${idSuffix}`, {
    id: `database${marathonSuffix}`,
    image: W.database.image,
    cpus: 0.3,
    mem: 128,
    instances: 1,
    ports: ports(W.database.ports),
  });
  frontend.allowFrom(tester, 'http');
  frontend.allowFrom(lan, 'http');
  database.allowFrom(tester, 'http');
  database.allowFrom(frontend, 'database');
}

/** Ping inside the environment (the environment policy) and the hand-written monitoring policy. */
function addEnvironmentPolicies(env: Environment, calico: CalicoNetwork): void {
  env.allowPing();
  new CalicoPolicy(env, 'Monitoring', {
    selector: labelsSelector(env.membershipLabel),
    order: 900,
    dependsOn: [calico.profile.artifactId],
    ingress: [Rule.allow({ protocol: 'tcp', source: { nets: [W.monitoringCidr] }, destination: { ports: [W.monitoringPort] } })],
  });
}
