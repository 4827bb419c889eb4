/**
 * Node settings over SSH: Mesos-DNS keys on the masters and extra CNI
 * networks on the agents, with rolling restarts. See docs/node-settings.md.
 *
 * @module
 */
export { MesosDnsDriver, parseMesosDnsConfig, MESOS_DNS_FILES } from './mesos-dns-driver.js';
export type { MesosDnsConfigContent } from './mesos-dns-driver.js';
export { CniNetworkDriver, CNI_DIR, agentUnit, fileNameOf } from './cni-driver.js';
export type { CniNetworkDriverOptions } from './cni-driver.js';
export type { NodeSettingsOptions, NodeConnector } from './node-access.js';
export { NodeSettingsError, nodeLabel, problemOf } from './node-errors.js';
export type { ClusterNode, NodeRole, NodeErrorLocation } from './node-errors.js';
export { discoverMasters, discoverAgents, fetchMasters, fetchAgentRegistrations } from './nodes.js';
export type { AdminRouterConnection, NodeList, AgentRegistration, NodeSource } from './nodes.js';
export { SshConnector } from './ssh.js';
export type { SshOptions, SshProxy, SshAddress, SshSession, RemoteShell, CommandResult } from './ssh.js';
export { KnownHosts, knownHostsName, keyFingerprint, keyTypeOf, hostKeyAlgorithmsFor } from './known-hosts.js';
export type { KnownHostEntry, HostKeyVerdict } from './known-hosts.js';
export { rollOut, pollUntil, restartService, waitForAgent, waitForMesosDns, waitForUnitActive } from './rolling-restart.js';
export type { WaitOptions } from './rolling-restart.js';
export { isNodeSettingsChange } from './node-plan.js';
export type { NodeFileChange, NodeSettingsChange } from './node-plan.js';
export { unifiedDiff } from './text-diff.js';
