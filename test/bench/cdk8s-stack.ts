import { ApiObject, App, Chart } from 'cdk8s';
import { WALKTHROUGH as W, type Shape } from './scenarios.js';

type Labels = Record<string, string>;
type Port = { readonly name: string; readonly port: number };

/**
 * Builds the shape as cdk8s charts: one chart per environment, with
 * Deployments and NetworkPolicies carrying the same labels and ports as our
 * apps and policies. Plain `ApiObject`s (no generated `imports/k8s`), the
 * cheapest way cdk8s offers.
 */
export function buildCdk8s(app: App, shape: Shape): void {
  if (shape.kind === 'environments') {
    for (let i = 0; i < shape.environments; i++) {
      const group = `env-${i}`;
      const chart = new Chart(app, group);
      addTriple(chart, group, '');
      addEnvironmentPolicies(chart, group);
    }
  } else {
    const chart = new Chart(app, 'big');
    for (let k = 0; k < shape.triples; k++) addTriple(chart, 'big', `-${k}`);
    addEnvironmentPolicies(chart, 'big');
  }
}

function addTriple(chart: Chart, group: string, suffix: string): void {
  const frontend = { app: `frontend${suffix}`, group };
  const tester = { app: `tester${suffix}`, group };
  const database = { app: `database${suffix}`, group };
  deployment(chart, frontend, W.frontend.image, W.frontend.ports, '100m', '64Mi');
  deployment(chart, tester, W.tester.image, W.tester.ports, '100m', '64Mi', W.tester.cmd);
  deployment(chart, database, W.database.image, W.database.ports, '300m', '128Mi');
  networkPolicy(chart, `${group}-frontend${suffix}-ingress`, frontend, [
    { from: [{ podSelector: { matchLabels: tester } }], ports: [{ protocol: 'TCP', port: 80 }] },
    { from: [{ ipBlock: { cidr: W.lanCidr } }], ports: [{ protocol: 'TCP', port: 80 }] },
  ]);
  networkPolicy(chart, `${group}-database${suffix}-ingress`, database, [
    { from: [{ podSelector: { matchLabels: tester } }], ports: [{ protocol: 'TCP', port: 81 }] },
    { from: [{ podSelector: { matchLabels: frontend } }], ports: [{ protocol: 'TCP', port: 1521 }] },
  ]);
}

function addEnvironmentPolicies(chart: Chart, group: string): void {
  const members = { group };
  new ApiObject(chart, `${group}-environment`, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${group}-environment` },
    spec: {
      podSelector: { matchLabels: members },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: members } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: members } }] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
    },
  });
  networkPolicy(chart, `${group}-monitoring`, members, [
    { from: [{ ipBlock: { cidr: W.monitoringCidr } }], ports: [{ protocol: 'TCP', port: W.monitoringPort }] },
  ]);
}

function deployment(chart: Chart, labels: Labels, image: string, ports: readonly Port[], cpu: string, memory: string, cmd?: string): void {
  new ApiObject(chart, labels.app!, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: labels.app, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: labels.app,
              image,
              command: cmd ? ['sh', '-c', cmd] : undefined,
              ports: ports.length ? ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })) : undefined,
              resources: { limits: { cpu, memory } },
            },
          ],
        },
      },
    },
  });
}

function networkPolicy(chart: Chart, name: string, selected: Labels, ingress: unknown[]): void {
  new ApiObject(chart, name, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: { podSelector: { matchLabels: selected }, policyTypes: ['Ingress'], ingress },
  });
}
