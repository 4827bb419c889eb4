import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'packages/cli/dist/bin.js');

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A throwaway project that resolves @dcos-cdk/* from this repository. */
function project(appSource: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-cli-'));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cli-test', private: true, type: 'module' }));
  writeFileSync(join(dir, 'dcos-cdk.json'), JSON.stringify({ app: 'bin/app.ts', context: { env: 'development' } }));
  writeFileSync(join(dir, 'bin', 'app.ts'), appSource);
  return dir;
}

const header = `
import { App } from '@dcos-cdk/core';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { CalicoNetwork } from '@dcos-cdk/calico';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';
const app = new App();
const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
const dev = new Environment(cluster, app.node.tryGetContext('env') as string, { network: new CalicoNetwork(cluster, 'calico') });
const web = new MarathonApp(dev, 'web', { image: 'nginx:alpine', ports: [MarathonPort.tcp('http', 80)] });
const cli: MarathonApp = new MarathonApp(dev, 'client', { image: 'alpine', cmd: 'sleep 1d' });
`;

describe('dcos-cdk CLI', () => {
  before(function () {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'npm run build' first (npm test does).`);
  });

  it('synth runs the TypeScript app directly, writes the bundle and prints a summary', () => {
    const dir = project(`${header}web.allowFrom(cli, 'http');\napp.synth();\n`);
    const r = cli(dir, 'synth');
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/Synthesized stack 'demo' for DC\/OS 1\.9 \(Marathon 1\.4, Calico v1\) into dcos\.out\//);
    expect(r.stdout).to.match(/marathon-app\s+2/).and.match(/No warnings\./);
    const manifest = JSON.parse(readFileSync(join(dir, 'dcos.out', 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.map((a: { id: string }) => a.id)).to.include('marathon-app:/web');
  });

  it('synth --output and --context reach the app', () => {
    const dir = project(`${header}app.synth();\n`);
    const r = cli(dir, 'synth', '--output', 'out2', '--context', 'env=staging', '--json');
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.ok).to.equal(true);
    expect(summary.outdir).to.equal(join(dir, 'out2'));
    const manifest = JSON.parse(readFileSync(join(dir, 'out2', 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.map((a: { id: string }) => a.id)).to.include('calico-policy:staging-environment');
  });

  it('synth lists every error with its construct path, exits 1 and writes nothing', () => {
    const dir = project(`${header}web.allowFrom(cli, 'https');\nnew MarathonApp(dev, 'web2', { id: 'web', image: 'x' });\napp.synth();\n`);
    const r = cli(dir, 'synth');
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain("error: demo/development/web: allowFrom(app /client, 'https'): /web has no port named 'https' (its ports: http).");
    expect(r.stdout).to.contain('error: demo/development/web2: ');
    expect(r.stdout).to.contain('Synthesis failed: 2 errors; nothing was written.');
    expect(r.stdout).to.not.match(/\n\s+at /);
    expect(existsSync(join(dir, 'dcos.out'))).to.equal(false);
  });

  it('synth reports an app that throws as a clear error, without a stack trace', () => {
    const dir = project(`throw new Error('lanCidr is missing');\n`);
    const r = cli(dir, 'synth');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal('error: The app failed before synthesis finished: lanCidr is missing\n');
  });

  it('ls lists artifacts in deploy order and refuses a tampered bundle', () => {
    const dir = project(`${header}app.synth();\n`);
    expect(cli(dir, 'synth').code).to.equal(0);
    const r = cli(dir, 'ls');
    expect(r.code).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^KIND\s+ID\s+FILE\s+DEPENDS ON$/);
    const ids = lines.slice(1).map((l) => l.split(/\s+/)[1]);
    expect(ids.indexOf('dcos-package:etcd')).to.be.lessThan(ids.indexOf('dcos-package:calico'));
    expect(ids.indexOf('calico-profile:calico')).to.be.lessThan(ids.indexOf('marathon-app:/web'));
    writeFileSync(join(dir, 'dcos.out', 'marathon', 'web.json'), '{}');
    const bad = cli(dir, 'ls');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('does not match its sha256');
  });

  it('reports usage errors with exit code 2', () => {
    expect(cli(repo, 'frobnicate').code).to.equal(2);
    expect(cli(repo, 'synth', '--nope').code).to.equal(2);
    const dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-cli-'));
    const r = cli(dir, 'synth');
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('No "app" in');
  });
});
