/*
 * `dcos-cdk init`: the project it scaffolds type-checks, synthesizes with the CLI and passes
 * its own tests, resolving the library from this repository (its node_modules linked in, as
 * `npm install --link` of the packages would give; no registry needed).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importInitCommands } from '../src/commands/index-import.js';
import { CliError } from '../src/errors.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'dist', 'bin.js');

async function init(args: readonly string[], cwd: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  try {
    const code = await importInitCommands.init.run(args, (l) => out.push(l), (l) => out.push(l), { cwd });
    return { code, out: out.join('\n') };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { code: e.exitCode, out: e.message };
  }
}

function run(cwd: string, command: string, args: readonly string[]): { code: number | null; output: string } {
  // Without the test's loader and conditions: the project runs as a user's would, on the built packages.
  const r = spawnSync(command, [...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('dcos-cdk init', function () {
  this.timeout(180_000);
  let parent: string;
  let dir: string;

  before(async function () {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'npx tsc -b tsconfig.build.json' (npm test does) first.`);
    parent = mkdtempSync(join(tmpdir(), 'dcos-cdk-init-'));
    dir = join(parent, 'shop-stack');
    const r = await init(['shop-stack', '--link', repo], parent);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain('Created a dcos-cdk project in shop-stack/:');
    expect(r.out).to.contain('npm install');
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });

  it('writes package.json with the library linked, dcos-cdk.json, the app, a test and a README', () => {
    for (const f of ['package.json', 'dcos-cdk.json', 'tsconfig.json', '.mocharc.json', '.gitignore', 'bin/app.ts', 'lib/stack.ts', 'test/app.test.ts', 'README.md']) {
      expect(existsSync(join(dir, f)), f).to.equal(true);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; type: string; dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.name).to.equal('shop-stack');
    expect(pkg.type).to.equal('module');
    for (const p of ['core', 'dcos', 'calico', 'marathon', 'cli', 'testing']) {
      expect(pkg.dependencies[`@dcos-cdk/${p}`]).to.equal(`file:${join(repo, 'packages', p)}`);
      expect(existsSync(pkg.dependencies[`@dcos-cdk/${p}`]!.slice('file:'.length))).to.equal(true);
    }
    expect(Object.keys(pkg.devDependencies).sort()).to.deep.equal(['@types/chai', '@types/mocha', '@types/node', 'chai', 'mocha', 'tsx', 'typescript']);
    expect(pkg.scripts).to.deep.equal({ synth: 'dcos-cdk synth', build: 'tsc -p .', test: 'mocha' });
    expect(JSON.parse(readFileSync(join(dir, 'dcos-cdk.json'), 'utf8'))).to.deep.equal({ app: 'bin/app.ts', output: 'dcos.out', context: { dcosVersion: '1.9' } });
    expect(readFileSync(join(dir, 'lib', 'stack.ts'), 'utf8')).to.contain("new Cluster(app, 'shop-stack', { dcosVersion })");
  });

  it('type-checks (npm run build: tsc --strict)', () => {
    const r = run(dir, process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(r.code, r.output).to.equal(0);
  });

  it('synthesizes with the CLI', () => {
    const r = run(dir, process.execPath, [bin, 'synth']);
    expect(r.code, r.output).to.equal(0);
    expect(r.output).to.contain("Synthesized stack 'shop-stack' for DC/OS 1.9 (Marathon 1.4, Calico v1) into dcos.out/");
    expect(r.output).to.contain('No warnings.');
    const manifest = JSON.parse(readFileSync(join(dir, 'dcos.out', 'manifest.json'), 'utf8')) as { artifacts: Array<{ id: string }> };
    expect(manifest.artifacts.map((a) => a.id)).to.include.members(['marathon-app:/development/web', 'marathon-app:/production/client', 'calico-policy:development-web-ingress']);
  });

  it('passes its own tests (npm test: mocha)', () => {
    const r = run(dir, process.execPath, [join(repo, 'node_modules', 'mocha', 'bin', 'mocha.js')]);
    expect(r.code, r.output).to.equal(0);
    expect(r.output).to.match(/10 passing/);
  });

  it('refuses to overwrite a project, unless --force', async () => {
    writeFileSync(join(parent, 'README.md'), '# mine\n');
    const refused = await init([], parent);
    expect(refused.code).to.equal(2);
    expect(refused.out).to.contain('already holds README.md; pass --force');
    expect(readFileSync(join(parent, 'README.md'), 'utf8')).to.equal('# mine\n');
    expect(existsSync(join(parent, 'package.json'))).to.equal(false);
    expect((await init(['--force'], parent)).code).to.equal(0);
    expect(readFileSync(join(parent, 'README.md'), 'utf8')).to.contain('# dcos-cdk-init-');
  });

  it('depends on the registry versions without --link, and checks its arguments', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dcos-cdk-init-'));
    expect((await init(['p', '--dcos-version', '2.1'], d)).code).to.equal(0);
    const pkg = JSON.parse(readFileSync(join(d, 'p', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@dcos-cdk/core']).to.match(/^\^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(d, 'p', 'dcos-cdk.json'), 'utf8')).to.contain('"dcosVersion": "2.1"');
    expect((await init(['Bad Name!'], d)).code).to.equal(2);
    expect((await init(['p', '--dcos-version', '9.9'], d)).code).to.equal(2);
  });
});
