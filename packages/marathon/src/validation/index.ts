/**
 * Validation of Marathon app definitions against the rules of Marathon 1.4 and 1.5
 * (messages, paths and stages as Marathon reports them, plus a fix hint per issue).
 *
 * @packageDocumentation
 */
export type {
  AppValidationIssue,
  AppValidationOptions,
  AppValidationStage,
  MarathonApiVersion,
  MarathonAppJson,
  MarathonAppcJson,
  MarathonContainerJson,
  MarathonDiscoveryPort,
  MarathonDockerJson,
  MarathonDockerParameter,
  MarathonEnvValue,
  MarathonFetchJson,
  MarathonHealthCheckJson,
  MarathonIpAddressJson,
  MarathonNetworkJson,
  MarathonPortDefinition,
  MarathonPortMapping,
  MarathonReadinessCheckJson,
  MarathonResidencyJson,
  MarathonUnreachableStrategyJson,
  MarathonUpgradeStrategyJson,
  MarathonVolumeJson,
} from './types.js';
export { validateAppDefinition } from './validate.js';
export { marathonErrorResponse, type MarathonErrorResponse } from './errors.js';
export {
  ID_SEGMENT_MESSAGE,
  ID_SEGMENT_PATTERN,
  RESERVED_ID_KEYWORDS,
  isValidPathSegment,
  resolveAppId,
  type ResolveAppIdResult,
} from './ids.js';
export { MARATHON_DEFAULTS } from './defaults.js';
export { CONSTRAINT_OPERATORS } from './constraints.js';
export { SINGLE_INSTANCE_LABEL } from './scheduling.js';
export { featureMessage } from './container.js';
