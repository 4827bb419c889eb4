import { readBundle } from '@dcos-cdk/core';

/** `dcos-cdk ls [bundle]`: the artifacts of a bundle, in deploy order. */
export function lsCommand(dir: string, json: boolean, out: (line: string) => void): number {
  const { manifest } = readBundle(dir);
  if (json) {
    out(JSON.stringify(manifest.artifacts, null, 2));
    return 0;
  }
  const rows = manifest.artifacts.map((a) => [a.kind, a.id, a.file, a.dependsOn.length ? a.dependsOn.join(', ') : '-']);
  const header = ['KIND', 'ID', 'FILE', 'DEPENDS ON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out(fmt(header));
  for (const r of rows) out(fmt(r));
  return 0;
}
