export * from './emulator/index.js';
export { marathonValidator } from './emulator/marathon-validator.js';
export { startEtcd, etcdUnavailableReason } from './etcd.js';
export type { StartEtcdOptions, StopOptions, EtcdServer } from './etcd.js';
export * from './sshd.js';
export { expectReachable, expectUnreachable, expectIsolated, matrixOf, describeExplanation } from './assertions.js';
export type { AnalysisSubject, FlowPort, IsolationOptions } from './assertions.js';
