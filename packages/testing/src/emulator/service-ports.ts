/**
 * Service port assignment: port 0 means "Marathon picks one" from [10000, 20000], unique
 * cluster-wide; an updated app keeps the ports it already had (marathon.md section 1).
 */
import { MARATHON_DEFAULTS } from '@dcos-cdk/marathon';
import { arrayAt, isJsonObject, objectAt } from './json.js';
import type { JsonObject } from './types.js';

/** Marathon `--local_port_min`. */
export const LOCAL_PORT_MIN = MARATHON_DEFAULTS.servicePortRange.min;
/** Marathon `--local_port_max`. */
export const LOCAL_PORT_MAX = MARATHON_DEFAULTS.servicePortRange.max;

interface PortSlot {
  holder: JsonObject;
  key: 'port' | 'servicePort';
}

function slotsOf(app: JsonObject): PortSlot[] {
  const slots: PortSlot[] = [];
  for (const d of arrayAt(app, 'portDefinitions') ?? []) if (isJsonObject(d)) slots.push({ holder: d, key: 'port' });
  const container = objectAt(app, 'container');
  const docker = container ? objectAt(container, 'docker') : undefined;
  const mappings = [...(container ? (arrayAt(container, 'portMappings') ?? []) : []), ...(docker ? (arrayAt(docker, 'portMappings') ?? []) : [])];
  for (const m of mappings) if (isJsonObject(m)) slots.push({ holder: m, key: 'servicePort' });
  return slots;
}

/** All service ports an app uses. */
export function servicePortsOf(app: JsonObject): number[] {
  return slotsOf(app)
    .map((s) => s.holder[s.key])
    .filter((p): p is number => typeof p === 'number' && p !== 0);
}

/**
 * Replace 0 / missing service ports of `app` (mutated) with assigned ones. `previous` is the stored
 * definition of the same app, whose ports are reused first; `taken` holds ports of all other apps.
 */
export function assignServicePorts(app: JsonObject, previous: JsonObject | undefined, taken: Set<number>): void {
  const slots = slotsOf(app);
  const explicit = new Set(slots.map((s) => s.holder[s.key]).filter((p): p is number => typeof p === 'number' && p !== 0));
  const reusable = (previous ? servicePortsOf(previous) : []).filter(
    (p) => p >= LOCAL_PORT_MIN && p <= LOCAL_PORT_MAX && !explicit.has(p) && !taken.has(p),
  );
  const used = new Set<number>([...taken, ...explicit]);
  let next = LOCAL_PORT_MIN;
  for (const slot of slots) {
    const cur = slot.holder[slot.key];
    if (typeof cur === 'number' && cur !== 0) continue;
    let port = reusable.shift();
    if (port === undefined) {
      while (used.has(next) && next <= LOCAL_PORT_MAX) next++;
      if (next > LOCAL_PORT_MAX) throw new Error(`All ports in the range ${LOCAL_PORT_MIN}-${LOCAL_PORT_MAX} are already in use`);
      port = next;
    }
    used.add(port);
    slot.holder[slot.key] = port;
  }
}
