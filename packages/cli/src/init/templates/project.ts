/**
 * Templates of `dcos-cdk init`: the project files, as string constants so
 * they ship in `dist`. `{{name}}`, `{{stackName}}` and `{{dcosVersion}}` are
 * filled in by the scaffolder.
 */

/** `dcos-cdk.json`: how the CLI runs the stack. */
export const DCOS_CDK_JSON = `{
  "app": "bin/app.ts",
  "output": "dcos.out",
  "context": {
    "dcosVersion": "{{dcosVersion}}"
  }
}
`;

/** `tsconfig.json`: strict TypeScript, type-checked with \`npm run build\` (the CLI and the tests run the sources directly). */
export const TSCONFIG_JSON = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUnusedLocals": true,
    "noEmit": true,
    "skipLibCheck": true,
    "esModuleInterop": true,
    "verbatimModuleSyntax": true,
    "types": ["node", "mocha"]
  },
  "include": ["bin/**/*.ts", "lib/**/*.ts", "test/**/*.ts"]
}
`;

/** `.mocharc.json`: tests in TypeScript through tsx. */
export const MOCHARC_JSON = `{
  "node-option": ["import=tsx"],
  "extension": ["ts"],
  "spec": ["test/**/*.test.ts"],
  "timeout": 20000
}
`;

/** `.gitignore`. */
export const GITIGNORE = `node_modules/
dcos.out/
`;

/** `bin/app.ts`: the app \`dcos-cdk synth\` runs. */
export const APP_TS = `import { App } from '@dcos-cdk/core';
import { buildStack } from '../lib/stack.js';

const app = new App();
buildStack(app);
app.synth();
`;

/** `lib/stack.ts`: a small working stack. */
export const STACK_TS = `import type { App } from '@dcos-cdk/core';
import { CalicoNetwork } from '@dcos-cdk/calico';
import { Cluster, Environment, type DcosVersion } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';

/**
 * The stack: two environments on a Calico network, each with a web server
 * and a client that may reach it on its http port. Nothing else gets in, and
 * the environments cannot reach each other: they are isolated by construction.
 */
export function buildStack(app: App): Cluster {
  const dcosVersion = (app.node.tryGetContext('dcosVersion') as DcosVersion | undefined) ?? '{{dcosVersion}}';
  const cluster = new Cluster(app, '{{stackName}}', { dcosVersion });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });

  for (const name of ['development', 'production']) {
    const env = new Environment(cluster, name, { network: calico, marathonGroup: \`/\${name}\` });
    const web = new MarathonApp(env, 'web', {
      image: 'nginx:alpine',
      cpus: 0.1,
      mem: 64,
      ports: [MarathonPort.tcp('http', 80)],
    });
    const client = new MarathonApp(env, 'client', {
      image: 'alpine:3',
      cmd: 'sleep infinity',
      cpus: 0.1,
      mem: 32,
    });
    web.allowFrom(client, 'http');
    env.allowPing();
  }
  return cluster;
}
`;

/** `test/app.test.ts`: what the stack holds, who can reach whom (the assertions of @dcos-cdk/testing), and Marathon (its emulator) accepting every app. */
export const TEST_TS = `import { expect } from 'chai';
import { App, type Bundle } from '@dcos-cdk/core';
import type { DcosVersion } from '@dcos-cdk/dcos';
import { expectIsolated, expectReachable, expectUnreachable, MarathonEmulator } from '@dcos-cdk/testing';
import { buildStack } from '../lib/stack.js';

/** The stack synthesized in memory (nothing written). */
function synth(dcosVersion: DcosVersion): Bundle {
  const app = new App({ projectDir: false, context: { dcosVersion } });
  buildStack(app);
  return app.synth({ write: false });
}

for (const dcosVersion of ['1.9', '2.1'] as const) {
  describe(\`the stack on DC/OS \${dcosVersion}\`, () => {
    const bundle = synth(dcosVersion);

    it('has the apps and the policies that isolate them, and no warning', () => {
      expect(bundle.artifacts.map((a) => a.id)).to.include.members([
        'marathon-app:/development/web',
        'marathon-app:/production/client',
        'calico-policy:development-environment',
        'calico-policy:production-web-ingress',
      ]);
      expect(bundle.warnings).to.deep.equal([]);
    });

    it('lets each client reach its own web server on http', () => {
      expectReachable(bundle, '/development/client', '/development/web', 80);
      expectReachable(bundle, '/production/client', '/production/web', 80);
    });

    it('keeps the web servers closed to the Internet and the clients closed to everyone', () => {
      expectUnreachable(bundle, 'Internet', '/production/web', 80);
      expectUnreachable(bundle, '/development/web', '/development/client', 'tcp/80');
    });

    it('isolates development and production from each other', () => {
      expectIsolated(bundle, 'development', 'production');
    });

    it('has only apps Marathon accepts (the Marathon emulator of @dcos-cdk/testing)', async () => {
      const marathon = await MarathonEmulator.start({ marathonVersion: dcosVersion === '1.9' ? '1.4' : '1.5' });
      try {
        for (const a of bundle.artifacts.filter((x) => x.kind === 'marathon-app')) {
          const res = await fetch(\`\${marathon.url}/service/marathon/v2/apps\`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: a.content });
          expect(res.status, \`\${a.id}: \${await res.text()}\`).to.equal(201);
        }
      } finally {
        await marathon.stop();
      }
    });
  });
}
`;
