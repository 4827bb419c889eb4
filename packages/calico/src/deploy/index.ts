/**
 * Deploy drivers for Calico artifacts: {@link CalicoDatastoreDriver} writes
 * Calico's etcd datastore directly (etcd v2 keys for calicoctl v1, etcd v3
 * keys for Calico v3); {@link CalicoctlDriver} runs the operator's calicoctl.
 */
export { CalicoDatastoreDriver } from './datastore-driver.js';
export type { CalicoDatastoreDriverOptions, CalicoPlannedChange } from './datastore-driver.js';
export { CalicoctlDriver } from './calicoctl-driver.js';
export type { CalicoctlDriverOptions, CalicoctlPlannedChange, CalicoctlStep } from './calicoctl-driver.js';
export type { CalicoctlCommand } from './calicoctl.js';
export { etcdConnectionFromEnv, ETCD_ENV } from './connection.js';
export type { EtcdConnection, EtcdTls, RetryPolicy } from './http.js';
export type { V3GatewayPrefix } from './etcd-v3.js';
export { CalicoOwnershipError, CalicoConcurrentModificationError, CalicoArtifactError, EtcdError, CalicoctlError } from './errors.js';
export { CALICO_KINDS } from './resource.js';
export type { CalicoArtifactKind, DatastoreResource, StoredEntry } from './resource.js';
export type { CalicoStep, KeyWrite } from './store.js';
export { v1Resource, v1PolicyKey, v1ProfileDir, v1PoolKey, escapeV1Name, V1_IPIP_CONFIG } from './backend-v1.js';
export { v3Resource, v3Key, prefixesPolicyNames, OWNER_ANNOTATION, ARTIFACT_ANNOTATION } from './backend-v3.js';
export type { V3Layout } from './backend-v3.js';
export { ownershipRecordKey, OWNERS_ROOT } from './ownership-v1.js';
export type { OwnershipRecord } from './ownership-v1.js';
export type { Json } from './json-diff.js';
