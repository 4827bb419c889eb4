/**
 * The README and package.json templates of `dcos-cdk init`.
 */

/** `README.md`. */
export const README_MD = `# {{name}}

A DC/OS stack written with [dcos-cdk](https://github.com/dcos-cdk/dcos-cdk): Marathon apps on a
Calico network, isolated by construction, synthesized into plain files and deployed to the cluster.

\`\`\`
npm install
npx dcos-cdk synth          # writes dcos.out/: one Marathon JSON per app, one calicoctl YAML per policy
npm test                    # the stack's own tests (test/app.test.ts)
npx dcos-cdk diff           # what deploy would change on the cluster
npx dcos-cdk deploy         # converge the cluster on dcos.out/
\`\`\`

| file | what it is |
| --- | --- |
| \`lib/stack.ts\` | the stack: a cluster, a Calico network, two environments (Marathon groups \`/development\`, \`/production\`), each with a web server and a client allowed to reach it |
| \`bin/app.ts\` | the app \`dcos-cdk synth\` runs (named by \`dcos-cdk.json\`) |
| \`dcos-cdk.json\` | the app, the output folder and the context (\`dcosVersion\`: 1.9 gives Marathon 1.4 JSON and calicoctl v1 YAML) |
| \`test/app.test.ts\` | tests: the bundle holds the apps and the policies; who can reach whom (\`expectReachable\`, \`expectUnreachable\`, \`expectIsolated\` of \`@dcos-cdk/testing\`); Marathon (its emulator) accepts every app |

Change the DC/OS release with \`npx dcos-cdk synth --context dcosVersion=2.1\` or in \`dcos-cdk.json\`.

To bring existing Marathon JSON and calicoctl YAML into the stack, run
\`npx dcos-cdk import <files or folders> --out lib/imported.ts\`: it writes an equivalent typed stack and
reports what the current setup lets through.
`;

/** The package.json of a new project. */
export function packageJson(name: string, library: Readonly<Record<string, string>>): string {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      synth: 'dcos-cdk synth',
      build: 'tsc -p .',
      test: 'mocha',
    },
    dependencies: library,
    devDependencies: {
      '@types/chai': '^5.2.3',
      '@types/mocha': '^10.0.10',
      '@types/node': '^20.19.43',
      chai: '^6.3.0',
      mocha: '^12.0.3',
      tsx: '^4.23.15',
      typescript: '~5.9.3',
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
