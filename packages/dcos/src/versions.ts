/** DC/OS releases the library can synthesize for. */
export type DcosVersion = '1.9' | '1.10' | '1.11' | '1.12' | '1.13' | '2.0' | '2.1' | '2.2';

/** Marathon releases, by the DC/OS release that ships them. */
export type MarathonVersion = '1.4' | '1.5' | '1.6' | '1.7' | '1.8' | '1.9' | '1.10' | '1.11';

/** Calico API generations: calicoctl v1 (`apiVersion: v1`) or Calico v3 (`projectcalico.org/v3`). */
export type CalicoVersion = 'v1' | 'v3';

/** The formats a stack is synthesized in. */
export interface Targets {
  readonly dcos: DcosVersion;
  readonly marathon: MarathonVersion;
  readonly calico: CalicoVersion;
}

const MARATHON_BY_DCOS: Readonly<Record<DcosVersion, MarathonVersion>> = {
  '1.9': '1.4',
  '1.10': '1.5',
  '1.11': '1.6',
  '1.12': '1.7',
  '1.13': '1.8',
  '2.0': '1.9',
  '2.1': '1.10',
  '2.2': '1.11',
};

/** Every supported DC/OS version, oldest first. */
export const DCOS_VERSIONS = Object.keys(MARATHON_BY_DCOS) as DcosVersion[];

/** True for a DC/OS version string this library knows. */
export function isDcosVersion(v: string): v is DcosVersion {
  return Object.prototype.hasOwnProperty.call(MARATHON_BY_DCOS, v);
}

/**
 * The formats for a DC/OS release: the Marathon it ships, and the Calico API
 * its Calico speaks (the Universe `calico` package with calicoctl v1 before
 * 2.1; the built-in Calico v3 from 2.1 on). Explicit versions win.
 */
export function resolveTargets(dcos: DcosVersion, overrides: { marathon?: MarathonVersion; calico?: CalicoVersion } = {}): Targets {
  return {
    dcos,
    marathon: overrides.marathon ?? MARATHON_BY_DCOS[dcos],
    calico: overrides.calico ?? (compareVersions(dcos, '2.1') >= 0 ? 'v3' : 'v1'),
  };
}

/** True when the Marathon version reads and writes the 1.5 app format (`networks`, `container.portMappings`). */
export function usesMarathon15Format(v: MarathonVersion): boolean {
  return compareVersions(v, '1.5') >= 0;
}

/** Compares dotted numeric versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
