// The walkthrough stack of examples/ip-per-container in cdk8s, as `cdk8s init
// typescript-app` lays a project out (cdk8s.yaml runs `npx ts-node main.ts`):
// two environments, each a chart of three Deployments and the
// NetworkPolicies that isolate it (environment, frontend and database ingress).
import { ApiObject, App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';

type Labels = Record<string, string>;
interface Port {
  readonly name: string;
  readonly port: number;
}

class Walkthrough extends Chart {
  constructor(scope: Construct, id: string, exposedTo: string) {
    super(scope, id);
    const group = id;
    const frontend = { app: 'frontend', group };
    const tester = { app: 'tester', group };
    const database = { app: 'database', group };
    this.deployment(frontend, 'nginx:alpine', [{ name: 'http', port: 80 }], '100m', '64Mi');
    this.deployment(tester, 'donch/net-tools', [], '100m', '64Mi', 'ifconfig && sleep 4h');
    this.deployment(database, 'oscarfonts/h2', [{ name: 'database', port: 1521 }, { name: 'http', port: 81 }], '300m', '128Mi');
    new ApiObject(this, 'environment', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${group}-environment` },
      spec: {
        podSelector: { matchLabels: { group } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { group } } }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { group } } }] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      },
    });
    this.ingress(`${group}-frontend-ingress`, frontend, [
      { from: [{ podSelector: { matchLabels: tester } }], ports: [{ protocol: 'TCP', port: 80 }] },
      { from: [{ ipBlock: { cidr: exposedTo } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
    this.ingress(`${group}-database-ingress`, database, [
      { from: [{ podSelector: { matchLabels: tester } }], ports: [{ protocol: 'TCP', port: 81 }] },
      { from: [{ podSelector: { matchLabels: frontend } }], ports: [{ protocol: 'TCP', port: 1521 }] },
    ]);
  }

  private deployment(labels: Labels, image: string, ports: Port[], cpu: string, memory: string, cmd?: string): void {
    new ApiObject(this, labels.app, {
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

  private ingress(name: string, selected: Labels, rules: unknown[]): void {
    new ApiObject(this, name, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name },
      spec: { podSelector: { matchLabels: selected }, policyTypes: ['Ingress'], ingress: rules },
    });
  }
}

const app = new App();
new Walkthrough(app, 'production', '0.0.0.0/0');
new Walkthrough(app, 'development', '10.20.0.0/16');
app.synth();
