import { execFile } from 'node:child_process';
import type { RequestCounters } from '@dcos-cdk/core';
import { CalicoctlError } from './errors.js';
import type { Json } from './json-diff.js';

/** How to run calicoctl. */
export interface CalicoctlCommand {
  /** The binary: a path, or a name looked up on the PATH of {@link CalicoctlCommand.env}. @default 'calicoctl' */
  readonly binary?: string;
  /** A calicoctl config file, passed as `--config=<file>`. @default calicoctl's own default */
  readonly configFile?: string;
  /**
   * Environment of the calicoctl process, added to this process's
   * (e.g. `ETCD_ENDPOINTS`, `ETCD_CA_CERT_FILE`, `DATASTORE_TYPE`). @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Timeout of one calicoctl run. @default 60000 */
  readonly timeoutMs?: number;
}

/** Runs calicoctl subcommands and counts them (`get` as a read, everything else as a write). */
export class CalicoctlRunner {
  constructor(private readonly cmd: CalicoctlCommand) {}

  /** Runs `calicoctl <args>` and returns stdout; throws {@link CalicoctlError} on failure. */
  public run(args: readonly string[], counters: RequestCounters, signal?: AbortSignal): Promise<string> {
    const full = [...args, ...(this.cmd.configFile ? [`--config=${this.cmd.configFile}`] : [])];
    counters[args[0] === 'get' ? 'reads' : 'writes']++;
    return new Promise((resolve, reject) => {
      execFile(
        this.cmd.binary ?? 'calicoctl',
        full,
        { env: { ...process.env, ...this.cmd.env }, timeout: this.cmd.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, signal },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const code = typeof error.code === 'number' ? error.code : undefined;
          const hint = error.code === 'ENOENT' ? `'${this.cmd.binary ?? 'calicoctl'}' was not found; install calicoctl or set its path.` : '';
          reject(new CalicoctlError(full, code, `${hint}${stderr || stdout || error.message}`));
        },
      );
    });
  }

  /** `calicoctl get <kind> -o json [extra]`, as a list of resources (whatever wrapper calicoctl prints). */
  public async list(kind: string, extra: readonly string[], counters: RequestCounters, signal?: AbortSignal): Promise<Json[]> {
    const out = await this.run(['get', kind, '-o', 'json', ...extra], counters, signal);
    if (out.trim() === '') return [];
    let parsed: Json;
    try {
      parsed = JSON.parse(out) as Json;
    } catch {
      throw new CalicoctlError(['get', kind, '-o', 'json', ...extra], 0, `printed something that is not JSON: ${out.slice(0, 200)}`);
    }
    if (Array.isArray(parsed)) return parsed;
    if (typeof parsed === 'object' && parsed !== null && Array.isArray(parsed.items)) return parsed.items;
    return typeof parsed === 'object' && parsed !== null ? [parsed] : [];
  }
}
