/**
 * The shapes both tools synthesize. Every environment is the walkthrough's:
 * three apps (frontend with port http 80, tester, database with ports
 * database 1521 and http 81) and four policies (the environment's, the
 * frontend's and the database's ingress, and a hand-written monitoring
 * policy), so both sides emit the same objects with the same labels and ports.
 */
export type Shape =
  /** `environments` copies of the walkthrough environment: one Environment (ours) or one Chart (cdk8s) each. */
  | { readonly kind: 'environments'; readonly environments: number }
  /** One environment (one chart) holding `triples` frontend/tester/database triples. */
  | { readonly kind: 'one-environment'; readonly triples: number };

/** Resources per walkthrough environment: 3 apps + 4 policies. */
export const PER_ENVIRONMENT = 7;

/** Resources the stack itself adds on our side: the etcd and calico packages and the network's profile (DC/OS 1.9). */
export const OUR_CLUSTER_RESOURCES = 3;

/** Objects the shape defines on either side (apps/Deployments and policies/NetworkPolicies). */
export function resourceCount(shape: Shape): number {
  // One environment: per triple 3 apps + 2 ingress policies; once, the environment and monitoring policies.
  return shape.kind === 'environments' ? PER_ENVIRONMENT * shape.environments : 5 * shape.triples + 2;
}

/** Label, port and CIDR values shared by both implementations. */
export const WALKTHROUGH = {
  lanCidr: '10.20.0.0/16',
  monitoringCidr: '10.99.0.0/16',
  monitoringPort: 9100,
  frontend: { image: 'nginx:alpine', ports: [{ name: 'http', port: 80 }] },
  tester: { image: 'donch/net-tools', cmd: 'ifconfig && sleep 4h', ports: [] as { name: string; port: number }[] },
  database: { image: 'oscarfonts/h2', ports: [{ name: 'database', port: 1521 }, { name: 'http', port: 81 }] },
} as const;
