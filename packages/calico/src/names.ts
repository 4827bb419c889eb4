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
