/** Lower-cases `s` and turns every run of characters a DNS label cannot hold into one dash. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** calicoctl v1 resource names. */
export const V1_NAME = /^[a-zA-Z0-9_./-]{1,128}$/;

/** Calico v3 policy names (a DNS-1123 label, up to 253 characters). */
export const V3_POLICY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Calico v3 names of other kinds (a DNS-1123 subdomain). */
export const V3_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Calico v3 NetworkPolicy names: a DNS-1123 label, optionally prefixed as Kubernetes policies are. */
export const V3_NETWORK_POLICY_NAME = /^((knp|ossg)\.default\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Longest name a generated policy gets: the calicoctl v1 limit. */
export const MAX_GENERATED_NAME = 128;

/**
 * A short, stable hex digest of `s` (FNV-1a, 32 bits), used to tell apart
 * generated names that would otherwise collide.
 */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A generated policy name from readable parts (`development`, `frontend`,
 * `ingress`): slugged, joined with dashes, and valid for calicoctl v1 and
 * Calico v3 alike (a DNS label of at most 128 characters). Too long a name
 * keeps its start and gets a digest of the whole.
 */
export function generatedName(parts: readonly string[]): string {
  const name = parts.map(slug).filter((p) => p.length > 0).join('-') || 'policy';
  if (name.length <= MAX_GENERATED_NAME) return name;
  return `${name.slice(0, MAX_GENERATED_NAME - 9).replace(/-+$/, '')}-${shortHash(name)}`;
}
