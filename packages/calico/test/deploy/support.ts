import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, readBundle, type DesiredArtifact, type DriverContext, type LoadedBundle } from '@dcos-cdk/core';
import { CalicoIpPool, CalicoPolicy } from '@dcos-cdk/calico';
import { buildStack } from '../../../../examples/ip-per-container/lib/stack.js';

export const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/ip-per-container');

/** What a synthesized test bundle gives: its manifest and the artifacts as drivers receive them. */
export interface TestBundle {
  readonly bundle: LoadedBundle;
  readonly artifacts: readonly DesiredArtifact[];
  /** The Calico artifacts only. */
  readonly calico: readonly DesiredArtifact[];
}

/**
 * Synthesizes the walkthrough example (calicoctl v1 for DC/OS 1.9, Calico
 * v3 for 2.1) plus one policy with a `pass` rule and unmasked nets and an
 * IP pool, writes the bundle and reads it back the way deploy does.
 */
export function synthExample(dcosVersion: '1.9' | '2.1', extra?: (cluster: ReturnType<typeof buildStack>) => void): TestBundle {
  const outdir = mkdtempSync(join(tmpdir(), 'calico-deploy-'));
  try {
    const app = new App({ projectDir: exampleDir, outdir, context: { dcosVersion } });
    const cluster = buildStack(app);
    new CalicoPolicy(cluster, 'Passthrough', {
      name: 'passthrough',
      selector: "app == 'monitor'",
      order: 10,
      ingress: [
        { action: 'pass', source: { selector: "role == 'ops'" } },
        { action: 'allow', protocol: 'tcp', source: { nets: ['10.1.2.3/16'] }, destination: { nets: ['10.9.8.7/8'], ports: [{ from: 8000, to: 8080 }, 9090] } },
      ],
    });
    new CalicoIpPool(cluster, 'Pool', { cidr: '10.1.0.0/16', ipip: 'always', natOutgoing: true });
    extra?.(cluster);
    app.synth();
    const bundle = readBundle(outdir);
    const artifacts = bundle.manifest.artifacts.map((a) => ({ id: a.id, kind: a.kind, file: a.file, content: bundle.contents.get(a.id)!, constructPath: a.constructPath, dependsOn: a.dependsOn }));
    return { bundle, artifacts, calico: artifacts.filter((a) => a.kind.startsWith('calico-')) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A driver context with fresh counters. */
export function context(stack = 'demo', progress: string[] = []): DriverContext & { counters: { reads: number; writes: number } } {
  return { stack, force: false, counters: { reads: 0, writes: 0 }, progress: (m) => progress.push(m) };
}

/** Reads an etcd v2 key's raw value (undefined when absent). */
export async function v2Get(url: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${url}/v2/keys${key.split('/').map(encodeURIComponent).join('/')}`);
  if (res.status === 404) return undefined;
  return ((await res.json()) as { node: { value: string } }).node.value;
}

/** Writes an etcd v2 key directly (a human or another tool). */
export async function v2Put(url: string, key: string, value: string): Promise<void> {
  const res = await fetch(`${url}/v2/keys${key.split('/').map(encodeURIComponent).join('/')}`, { method: 'PUT', body: `value=${encodeURIComponent(value)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (!res.ok) throw new Error(`v2 put ${key}: ${res.status}`);
}

/** Lists every v2 leaf below `dir` as key → value. */
export async function v2Dump(url: string, dir: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/v2/keys${dir}?recursive=true`);
  const out: Record<string, string> = {};
  if (res.status === 404) return out;
  type N = { key: string; value?: string; dir?: boolean; nodes?: N[] };
  const walk = (n: N): void => {
    if (n.dir) (n.nodes ?? []).forEach(walk);
    else out[n.key] = n.value ?? '';
  };
  walk(((await res.json()) as { node: N }).node);
  return out;
}

/** Removes everything from the v2 keyspace we use. */
export async function v2Wipe(url: string): Promise<void> {
  for (const dir of ['/calico', '/dcos-cdk']) await fetch(`${url}/v2/keys${dir}?recursive=true&dir=true`, { method: 'DELETE' });
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Reads an etcd v3 key's value. */
export async function v3Get(url: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${url}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64(key) }) });
  const kv = ((await res.json()) as { kvs?: { value?: string }[] }).kvs?.[0];
  return kv ? Buffer.from(kv.value ?? '', 'base64').toString() : undefined;
}

/** Writes an etcd v3 key directly. */
export async function v3Put(url: string, key: string, value: string): Promise<void> {
  await fetch(`${url}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) });
}

/** Every v3 key (and value) of the keyspace. */
export async function v3Dump(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64('\0'), range_end: b64('\0') }) });
  const out: Record<string, string> = {};
  for (const kv of ((await res.json()) as { kvs?: { key: string; value?: string }[] }).kvs ?? []) out[Buffer.from(kv.key, 'base64').toString()] = Buffer.from(kv.value ?? '', 'base64').toString();
  return out;
}

/** Deletes every v3 key. */
export async function v3Wipe(url: string): Promise<void> {
  await fetch(`${url}/v3/kv/deleterange`, { method: 'POST', body: JSON.stringify({ key: b64('\0'), range_end: b64('\0') }) });
}
