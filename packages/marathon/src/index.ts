export { MarathonApp } from './app.js';
export type { MarathonAppProps, MarathonDependency } from './props/app.js';
export { MarathonPort } from './port.js';
export type { MarathonPortOptions, MarathonPortProps, PortProtocol } from './port.js';
export { Networking } from './props/networking.js';
export type { NetworkingMode, HostNetworkingOptions, NetworkLabelsOptions } from './props/networking.js';
export { Volume } from './props/container.js';
export type { ContainerType, VolumeMode, DockerParameter, MarathonContainerProps, PersistentVolumeOptions, VolumeJson } from './props/container.js';
export { HealthCheck } from './props/health.js';
export type {
  HealthCheckProtocol,
  HealthCheckTiming,
  HealthCheckPortOptions,
  HttpHealthCheckOptions,
  TcpHealthCheckOptions,
  HealthCheckOptions,
  ReadinessCheckProps,
} from './props/health.js';
export { Constraint } from './props/constraints.js';
export type { ConstraintOperator } from './props/constraints.js';
export type { UpgradeStrategyProps, UnreachableStrategy, KillSelection, FetchProps, ResidencyProps } from './props/scheduling.js';
export type { EnvValue, SecretEnvValue, SecretProps } from './props/env.js';
export { MarathonAppDns, marathonTaskName, mesosDnsLabel, dcosNetLabel, vipAddress } from './dns.js';
export type { VipAddress } from './dns.js';
export { renderApp } from './render/legacy.js';
export type { AppModel } from './render/legacy.js';
export * from './validation/index.js';
export { propsFromMarathonJson, overrideKey, translateTo15 } from './import.js';
export type { ImportedMarathonApp, MarathonImportOverride, PropsFromMarathonJsonOptions } from './import.js';
export { unknownAppFields, RESPONSE_ONLY_APP_FIELDS } from './import-fields.js';
export type { UnknownAppField } from './import-fields.js';
