/**
 * Port rules shared by host networking (`portDefinitions`) and bridge/container networking
 * (port mappings). 1.4: `state/PortDefinition.scala`, `state/Container.scala` (accord validators);
 * 1.5: `api/v2/validation/AppValidation.scala` (ranges, names and protocols are RAML read checks there).
 */
import { Ctx, allDistinct, child, fullMatch, index, javaInt } from './context.js';
import { PORT_NAME_PATTERN_14 } from './read-1.4.js';
import type { MarathonNetworkJson, MarathonPortDefinition, MarathonPortMapping } from './types.js';

const NAME_RE_14 = fullMatch(PORT_NAME_PATTERN_14);

/** Marathon's message when a mapping has a hostPort and several container networks but not one networkName. */
export const NETWORK_NAME_REQUIRED_MESSAGE =
  'networkNames must be a single item list when hostPort is specified and more than 1 container network is defined';

const FIX = {
  range: 'Use a port number between 0 and 65535 (0 lets Marathon pick one).',
  protocol: 'Use "tcp", "udp" or "udp,tcp".',
  name: 'Use lowercase letters, digits and dashes only in port names.',
  names: 'Give every port a distinct name (or omit the duplicate names).',
  ports: 'Use each non-zero port number only once (0 means "any port").',
};

/** accord `should be >= 0` plus our upper bound (1.4 has no upper-bound validator; see report). */
function checkRange14(value: number | undefined, path: string, ctx: Ctx): void {
  if (value === undefined) return;
  if (value < 0) ctx.add(path, `got ${javaInt(value)}, expected 0 or more`, FIX.range);
  else if (value > 65535) ctx.add(path, `got ${javaInt(value)}, expected 65535 or less`, FIX.range);
}

/** 1.4: `protocol.split(',')` must hold distinct values out of tcp/udp. */
function checkProtocol14(protocol: string | undefined, path: string, ctx: Ctx): void {
  const parts = (protocol ?? 'tcp').split(',');
  if (!allDistinct(parts)) ctx.add(path, 'protocols must be unique.', FIX.protocol);
  if (parts.some((p) => p !== 'tcp' && p !== 'udp')) ctx.add(path, 'is not one of (tcp,udp)', FIX.protocol);
}

function checkName14(name: string | undefined, path: string, ctx: Ctx): void {
  if (name !== undefined && !NAME_RE_14.test(name)) {
    ctx.add(path, `must fully match regular expression '${PORT_NAME_PATTERN_14}'`, FIX.name);
  }
}

function names(items: readonly { name?: string }[]): string[] {
  return items.flatMap((i) => (i.name === undefined ? [] : [i.name]));
}

/** 1.4 `portDefinitions` (after `ports` were converted). */
export function checkPortDefinitions14(defs: readonly MarathonPortDefinition[], ctx: Ctx): void {
  const base = '/portDefinitions';
  defs.forEach((d, i) => {
    const p = index(base, i);
    checkRange14(d.port, child(p, 'port'), ctx);
    checkProtocol14(d.protocol, child(p, 'protocol'), ctx);
    checkName14(d.name, child(p, 'name'), ctx);
  });
  if (!allDistinct(names(defs))) ctx.add(base, 'Port names must be unique.', FIX.names);
  const ports = defs.map((d) => d.port ?? 0).filter((p) => p !== 0);
  if (!allDistinct(ports)) ctx.add(base, 'Ports must be unique.', FIX.ports);
}

/** 1.4 docker port mappings (only kept by Marathon for BRIDGE and USER networks). */
export function checkPortMappings14(pms: readonly MarathonPortMapping[], base: string, ctx: Ctx): void {
  pms.forEach((m, i) => {
    const p = index(base, i);
    checkRange14(m.containerPort, child(p, 'containerPort'), ctx);
    checkRange14(m.hostPort, child(p, 'hostPort'), ctx);
    checkRange14(m.servicePort, child(p, 'servicePort'), ctx);
    checkProtocol14(m.protocol, child(p, 'protocol'), ctx);
    checkName14(m.name, child(p, 'name'), ctx);
  });
  if (!allDistinct(names(pms))) ctx.add(base, 'Port names must be unique.', FIX.names);
}

/** 1.5 `portDefinitionsValidator`. */
export function checkPortDefinitions15(defs: readonly MarathonPortDefinition[], ctx: Ctx): void {
  if (!allDistinct(names(defs))) ctx.add('/portDefinitions', 'Port names must be unique.', FIX.names);
  const ports = defs.map((d) => d.port ?? 0).filter((p) => p !== 0);
  if (!allDistinct(ports)) ctx.add('/portDefinitions', 'Ports must be unique.', FIX.ports);
}

/** 1.5 port-mapping names must be unique (`portMappingsIndependentOfNetworks`). */
export function checkPortMappingNames15(pms: readonly MarathonPortMapping[], base: string, ctx: Ctx): void {
  if (!allDistinct(names(pms))) ctx.add(base, 'Port names must be unique.', FIX.names);
}

/** 1.5 `portMappingsValidator(networks)` for `container.portMappings`. */
export function checkPortMappings15(
  pms: readonly MarathonPortMapping[],
  networks: readonly MarathonNetworkJson[],
  ctx: Ctx,
): void {
  const base = '/container/portMappings';
  checkPortMappingNames15(pms, base, ctx);
  const containerNets = networks.filter((n) => (n.mode ?? 'container') === 'container').length;
  const declared = networks.flatMap((n) => (n.name === undefined ? [] : [n.name]));
  pms.forEach((m, i) => {
    const p = index(base, i);
    if (containerNets > 1 && m.hostPort !== undefined && (m.networkNames ?? []).length !== 1) {
      ctx.add(p, NETWORK_NAME_REQUIRED_MESSAGE, 'Name exactly one network in networkNames for a mapping with a hostPort.');
    }
    (m.networkNames ?? []).forEach((n, j) => {
      if (!declared.includes(n)) {
        ctx.add(
          index(child(p, 'networkNames'), j),
          `is not one of (${declared.join(',')})`,
          'Only list networks that are declared (by name) in the app\'s "networks".',
        );
      }
    });
  });
}
