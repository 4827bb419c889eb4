import { readFileSync } from 'node:fs';
import type { EtcdConnection } from './http.js';

/** Environment variables read by {@link etcdConnectionFromEnv}: calicoctl's own names. */
export const ETCD_ENV = {
  endpoints: 'ETCD_ENDPOINTS',
  caCertFile: 'ETCD_CA_CERT_FILE',
  certFile: 'ETCD_CERT_FILE',
  keyFile: 'ETCD_KEY_FILE',
  username: 'ETCD_USERNAME',
  password: 'ETCD_PASSWORD',
} as const;

/**
 * The etcd connection calicoctl would use, from the same environment
 * variables (`ETCD_ENDPOINTS` comma-separated, `ETCD_CA_CERT_FILE`,
 * `ETCD_CERT_FILE`, `ETCD_KEY_FILE`, `ETCD_USERNAME`, `ETCD_PASSWORD`), or
 * `undefined` when `ETCD_ENDPOINTS` is not set. Called explicitly by the
 * CLI; the drivers themselves never read the environment. Credentials stay
 * in memory and are never part of a message.
 */
export function etcdConnectionFromEnv(env: Readonly<Record<string, string | undefined>>): EtcdConnection | undefined {
  const endpoints = (env[ETCD_ENV.endpoints] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (endpoints.length === 0) return undefined;
  const file = (name: string): string | undefined => {
    const path = env[name];
    if (!path) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`${name}=${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
  };
  const ca = file(ETCD_ENV.caCertFile);
  const cert = file(ETCD_ENV.certFile);
  const key = file(ETCD_ENV.keyFile);
  return {
    endpoints,
    ...(ca || cert || key ? { tls: { ca, cert, key } } : {}),
    ...(env[ETCD_ENV.username] ? { username: env[ETCD_ENV.username], password: env[ETCD_ENV.password] ?? '' } : {}),
  };
}
