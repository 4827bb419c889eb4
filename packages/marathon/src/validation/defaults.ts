/**
 * Defaults Marathon applies to omitted app-definition fields (1.4 and 1.5 agree on these;
 * see `types/app.raml`, `state/AppDefinition.scala`, `core/health/HealthCheck.scala`).
 */
export const MARATHON_DEFAULTS = Object.freeze({
  instances: 1,
  cpus: 1,
  mem: 128,
  disk: 0,
  gpus: 0,
  executor: '',
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 3600,
  requirePorts: false,
  killSelection: 'YOUNGEST_FIRST' as const,
  upgradeStrategy: Object.freeze({ minimumHealthCapacity: 1, maximumOverCapacity: 1 }),
  /** Upgrade strategy Marathon uses for resident apps (local persistent volumes) when none is given. */
  residentUpgradeStrategy: Object.freeze({ minimumHealthCapacity: 0.5, maximumOverCapacity: 0 }),
  containerType: 'DOCKER' as const,
  /** 1.5: `networks` when omitted. */
  networks: Object.freeze([Object.freeze({ mode: 'host' as const })]),
  /** Host networking: `portDefinitions` when omitted (and no `ipAddress` in 1.4). */
  portDefinitions: Object.freeze([Object.freeze({ port: 0, protocol: 'tcp', name: 'default' })]),
  /** 1.5 non-host networking: `container.portMappings` when omitted. */
  portMappings: Object.freeze([Object.freeze({ name: 'default' })]),
  portMapping: Object.freeze({ containerPort: 0, servicePort: 0, protocol: 'tcp' }),
  healthCheck: Object.freeze({
    protocol: 'HTTP' as const,
    gracePeriodSeconds: 300,
    intervalSeconds: 60,
    timeoutSeconds: 20,
    maxConsecutiveFailures: 3,
    delaySeconds: 15,
    ignoreHttp1xx: false,
  }),
  readinessCheck: Object.freeze({
    name: 'readinessCheck',
    protocol: 'HTTP' as const,
    path: '/',
    portName: 'http-api',
    intervalSeconds: 30,
    timeoutSeconds: 10,
    httpStatusCodesForReady: Object.freeze([200]),
    preserveLastResponse: false,
  }),
  fetch: Object.freeze({ extract: true, executable: false, cache: false }),
  residency: Object.freeze({ relaunchEscalationTimeoutSeconds: 3600, taskLostBehavior: 'WAIT_FOREVER' as const }),
  mesosBridgeName: 'mesos-bridge',
  /** Range Marathon draws service ports from (`--local_port_min`, `--local_port_max`). */
  servicePortRange: Object.freeze({ min: 10000, max: 20000 }),
});
