/**
 * Public types of the Marathon app-definition validator.
 *
 * The JSON interfaces describe the union of the fields Marathon 1.4 and 1.5 accept in an app
 * definition (POST /v2/apps body), derived from the official `AppDefinition.json` schemas and the
 * 1.5 RAML types (`app.raml`, `appContainer.raml`, `network.raml`, `healthCheck.raml`, ...).
 *
 * @packageDocumentation
 */

/** Marathon REST API generation the validator emulates. */
export type MarathonApiVersion = '1.4' | '1.5';

/** Stage at which Marathon rejects an app definition. */
export type AppValidationStage = 'read' | 'validate';

/** One reason why Marathon would reject an app definition. */
export interface AppValidationIssue {
  /** Marathon-style path: "/id", "/container/docker/image", "/healthChecks(0)/portIndex", "/" for root */
  readonly path: string;
  /** Marathon's own error text for this violation, e.g. "must fully match regular expression '...'" */
  readonly message: string;
  /** One sentence telling the user how to fix it */
  readonly fix: string;
  /** 'read' = Marathon rejects while reading JSON into its model (HTTP "Invalid JSON": 400 in 1.4, 422 in 1.5); 'validate' = "Object is not valid" (422) */
  readonly stage: AppValidationStage;
}

/** Marathon command-line settings that influence validation. */
export interface AppValidationOptions {
  /** enabled Marathon features, e.g. ['secrets']; default [] */
  readonly features?: readonly string[];
  /** --default_network_name; default undefined */
  readonly defaultNetworkName?: string;
  /** --mesos_bridge_name; default 'mesos-bridge' */
  readonly mesosBridgeName?: string;
  /** when validating an app inside a group, the group's path for relative-id resolution */
  readonly parentGroup?: string;
}

/** Environment variable value: a plain string or a reference to a declared secret. */
export type MarathonEnvValue = string | { readonly secret: string };

/** `container.docker.parameters[]` entry (passed to the docker CLI). */
export interface MarathonDockerParameter {
  /** Parameter name, e.g. "hostname". */
  readonly key: string;
  /** Parameter value. */
  readonly value: string;
}

/** Port mapping (`container.portMappings[]`, 1.5; or legacy `container.docker.portMappings[]`). */
export interface MarathonPortMapping {
  /** Port inside the container; 0 = same as the assigned host port. */
  readonly containerPort?: number;
  /** Host port; 0 = dynamic; absent = no host port (container networks only). */
  readonly hostPort?: number;
  /** Service port for load balancers; 0 = assigned by Marathon. */
  readonly servicePort?: number;
  /** "tcp", "udp" or "udp,tcp". */
  readonly protocol?: string;
  /** Port name, unique within the app. */
  readonly name?: string;
  /** Free-form metadata, e.g. VIP labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** 1.5: container networks this mapping applies to. */
  readonly networkNames?: readonly string[];
}

/** `container.docker`. */
export interface MarathonDockerJson {
  /** Image reference; required and non-empty. */
  readonly image: string;
  /** Always pull the image. */
  readonly forcePullImage?: boolean;
  /** Privileged mode (Docker containerizer only). */
  readonly privileged?: boolean;
  /** Extra docker CLI parameters (Docker containerizer only). */
  readonly parameters?: readonly MarathonDockerParameter[];
  /** 1.4 network mode; deprecated in 1.5 in favour of `networks`. */
  readonly network?: 'BRIDGE' | 'HOST' | 'NONE' | 'USER';
  /** 1.4 port mappings; deprecated in 1.5 in favour of `container.portMappings`. */
  readonly portMappings?: readonly MarathonPortMapping[];
  /** Registry credential (1.4, Mesos containerizer); rejected by 1.5. */
  readonly credential?: { readonly principal: string; readonly secret?: string };
  /** 1.5: docker config.json taken from a secret (Mesos containerizer + secrets feature). */
  readonly pullConfig?: { readonly secret: string };
}

/** `container.appc` (Mesos containerizer only). */
export interface MarathonAppcJson {
  /** AppC image name. */
  readonly image: string;
  /** Image id "sha512-...". */
  readonly id?: string;
  /** Image labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Always pull the image. */
  readonly forcePullImage?: boolean;
}

/** One entry of `container.volumes`. */
export interface MarathonVolumeJson {
  /** Path inside the container. */
  readonly containerPath?: string;
  /** Host path for host volumes. */
  readonly hostPath?: string;
  /** "RO" or "RW". */
  readonly mode?: string;
  /** Local persistent volume. */
  readonly persistent?: {
    readonly type?: 'root' | 'path' | 'mount';
    readonly size?: number;
    readonly maxSize?: number;
    readonly constraints?: readonly (readonly string[])[];
  };
  /** External volume (feature external_volumes). */
  readonly external?: {
    readonly name?: string;
    readonly provider?: string;
    readonly size?: number;
    readonly options?: Readonly<Record<string, string>>;
  };
  /** 1.5: secret volume. */
  readonly secret?: string;
}

/** `container`. */
export interface MarathonContainerJson {
  /** Containerizer; Marathon defaults to DOCKER when omitted. */
  readonly type?: 'MESOS' | 'DOCKER';
  /** Docker image settings. */
  readonly docker?: MarathonDockerJson;
  /** AppC image settings (MESOS only). */
  readonly appc?: MarathonAppcJson;
  /** Volumes. */
  readonly volumes?: readonly MarathonVolumeJson[];
  /** 1.5: port mappings for container / container/bridge networking. */
  readonly portMappings?: readonly MarathonPortMapping[];
}

/** `ipAddress.discovery.ports[]` (1.4 IP-per-task API, deprecated in 1.5). */
export interface MarathonDiscoveryPort {
  /** Port number. */
  readonly number?: number;
  /** Port name (required). */
  readonly name?: string;
  /** "tcp" or "udp". */
  readonly protocol?: string;
  /** Port labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `ipAddress` (1.4 IP-per-task API, deprecated in 1.5). */
export interface MarathonIpAddressJson {
  /** CNI network to join; defaults to `--default_network_name`. */
  readonly networkName?: string;
  /** Ignored by Marathon. */
  readonly groups?: readonly string[];
  /** Labels passed to the network. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Service-discovery ports (UCR). */
  readonly discovery?: { readonly ports?: readonly MarathonDiscoveryPort[] };
}

/** `networks[]` (1.5). */
export interface MarathonNetworkJson {
  /** "container" (default), "container/bridge" or "host". */
  readonly mode?: 'container' | 'container/bridge' | 'host';
  /** Network name; container mode only. */
  readonly name?: string;
  /** Labels; not for host mode. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `portDefinitions[]` (host networking). */
export interface MarathonPortDefinition {
  /** Port number; 0 = dynamic. */
  readonly port?: number;
  /** "tcp" or "udp" ("udp,tcp" accepted by 1.5). */
  readonly protocol?: string;
  /** Port name. */
  readonly name?: string;
  /** Port labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `healthChecks[]`. */
export interface MarathonHealthCheckJson {
  /** HTTP (default), HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP. */
  readonly protocol?: 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';
  /** HTTP path. */
  readonly path?: string;
  /** Index into the app's ports. */
  readonly portIndex?: number;
  /** Fixed port. */
  readonly port?: number;
  /** Command for COMMAND checks. */
  readonly command?: { readonly value: string };
  /** Default 300. */
  readonly gracePeriodSeconds?: number;
  /** Default 60. */
  readonly intervalSeconds?: number;
  /** Default 20. */
  readonly timeoutSeconds?: number;
  /** Default 3. */
  readonly maxConsecutiveFailures?: number;
  /** Default 15 (Mesos-side checks). */
  readonly delaySeconds?: number;
  /** Ignore 1xx responses. */
  readonly ignoreHttp1xx?: boolean;
}

/** `readinessChecks[]`. */
export interface MarathonReadinessCheckJson {
  readonly name?: string;
  readonly protocol?: 'HTTP' | 'HTTPS';
  readonly path?: string;
  readonly portName?: string;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly httpStatusCodesForReady?: readonly number[];
  readonly preserveLastResponse?: boolean;
}

/** `upgradeStrategy`. */
export interface MarathonUpgradeStrategyJson {
  /** In [0, 1]; default 1. */
  readonly minimumHealthCapacity?: number;
  /** In [0, 1]; default 1. */
  readonly maximumOverCapacity?: number;
}

/** `fetch[]`. */
export interface MarathonFetchJson {
  /** URI to fetch (required). */
  readonly uri: string;
  /** Default true. */
  readonly extract?: boolean;
  /** Default false. */
  readonly executable?: boolean;
  /** Default false. */
  readonly cache?: boolean;
  /** Target file name. */
  readonly destPath?: string;
}

/** `residency` (apps with local persistent volumes). */
export interface MarathonResidencyJson {
  readonly relaunchEscalationTimeoutSeconds?: number;
  readonly taskLostBehavior?: 'WAIT_FOREVER' | 'RELAUNCH_AFTER_TIMEOUT';
}

/** `unreachableStrategy`. */
export type MarathonUnreachableStrategyJson =
  | 'disabled'
  | { readonly inactiveAfterSeconds?: number; readonly expungeAfterSeconds?: number };

/** A Marathon app definition as sent to POST /v2/apps, union of the 1.4 and 1.5 fields. */
export interface MarathonAppJson {
  readonly id: string;
  readonly cmd?: string;
  readonly args?: readonly string[];
  readonly user?: string;
  readonly env?: Readonly<Record<string, MarathonEnvValue>>;
  /** Enterprise secrets: name -> { source }. */
  readonly secrets?: Readonly<Record<string, { readonly source: string }>>;
  readonly instances?: number;
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly gpus?: number;
  readonly executor?: string;
  /** `[field, OPERATOR]` or `[field, OPERATOR, value]`. */
  readonly constraints?: readonly (readonly string[])[];
  readonly container?: MarathonContainerJson;
  /** 1.4 IP-per-task API. */
  readonly ipAddress?: MarathonIpAddressJson;
  /** 1.5 networking API. */
  readonly networks?: readonly MarathonNetworkJson[];
  readonly portDefinitions?: readonly MarathonPortDefinition[];
  /** Legacy list of ports. */
  readonly ports?: readonly number[];
  readonly requirePorts?: boolean;
  readonly healthChecks?: readonly MarathonHealthCheckJson[];
  readonly readinessChecks?: readonly MarathonReadinessCheckJson[];
  readonly upgradeStrategy?: MarathonUpgradeStrategyJson;
  readonly backoffSeconds?: number;
  readonly backoffFactor?: number;
  readonly maxLaunchDelaySeconds?: number;
  readonly fetch?: readonly MarathonFetchJson[];
  /** Legacy list of URIs (converted to `fetch`). */
  readonly uris?: readonly string[];
  readonly storeUrls?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly dependencies?: readonly string[];
  readonly killSelection?: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  readonly unreachableStrategy?: MarathonUnreachableStrategyJson;
  readonly taskKillGracePeriodSeconds?: number;
  readonly acceptedResourceRoles?: readonly string[];
  readonly residency?: MarathonResidencyJson;
  /** 1.5: allocate a TTY. */
  readonly tty?: boolean;
  /** Response-only fields, tolerated in requests. */
  readonly version?: string;
  readonly versionInfo?: { readonly lastScalingAt?: string; readonly lastConfigChangeAt?: string };
}
