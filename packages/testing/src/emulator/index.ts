/**
 * Marathon + Cosmos emulator for integration tests: a real HTTP server following
 * `shared/specs/marathon.md` (Marathon 1.4 / 1.5 REST API behind the DC/OS Admin Router,
 * Cosmos package API, IAM login, Mesos state).
 *
 * @module
 */
export { MarathonEmulator } from './server.js';
export type { EmulatorFaults } from './server.js';
export type { EmulatorStateView } from './state-view.js';
export type {
  AgentSpec,
  AppValidationIssue,
  AppValidationOptions,
  AppValidator,
  FaultMatch,
  FaultSpec,
  InstalledPackage,
  JsonObject,
  JsonValue,
  LoginAccount,
  MarathonEmulatorOptions,
  MarathonVersion,
  MasterSpec,
  RequestCounts,
  RequestLogEntry,
} from './types.js';
export { renderMustache, escapeHtml, MustacheError } from './mustache.js';
export type { MustacheOptions } from './mustache.js';
export { renderCosmosTemplate, extractDefaults, renderPackageApp } from './cosmos-render.js';
export { loadUniverse, defaultUniverseDir } from './universe.js';
export type { UniversePackage } from './universe.js';
export { translateAppTo15 } from './translate-1.4-to-1.5.js';
export type { TranslateOptions } from './translate-1.4-to-1.5.js';
export { normalizeApp } from './app-defaults.js';
export type { NormalizeOptions } from './app-defaults.js';
