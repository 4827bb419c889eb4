import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_ENV } from '@dcos-cdk/core';
import { CliError, EXIT } from './errors.js';
import { synthesisDiagnostics, type ReportedDiagnostic } from './diagnostics.js';

/** How the app run ended. */
export type AppRunResult = { readonly ok: true } | { readonly ok: false; readonly diagnostics: readonly ReportedDiagnostic[] };

/** Options for running the project's app. */
export interface RunAppOptions {
  readonly projectDir: string;
  /** `app` of dcos-cdk.json: a .ts/.js file, or a shell command. */
  readonly app: string;
  /** Output folder, passed to the app. */
  readonly outdir: string;
  /** Extra context, passed to the app. */
  readonly context: Readonly<Record<string, string>>;
}

/**
 * Runs the stack. A TypeScript or JavaScript file runs in this process
 * (TypeScript through tsx's loader, no build step, no second Node start);
 * anything else runs as a shell command with the same environment.
 */
export async function runApp(o: RunAppOptions): Promise<AppRunResult> {
  process.env[CLI_ENV.outdir] = o.outdir;
  if (Object.keys(o.context).length > 0) process.env[CLI_ENV.context] = JSON.stringify(o.context);
  const file = resolve(o.projectDir, o.app);
  if (/\.(m|c)?(t|j)s$/.test(o.app) && !/\s/.test(o.app)) {
    if (!existsSync(file)) throw new CliError(`The app file ${o.app} (from "app" in dcos-cdk.json) does not exist.`, EXIT.usage);
    return runInProcess(file, o.projectDir);
  }
  return runCommand(o.app, o.projectDir);
}

async function runInProcess(file: string, projectDir: string): Promise<AppRunResult> {
  const cwd = process.cwd();
  process.chdir(projectDir);
  const unregister = /\.(m|c)?ts$/.test(file) ? (await import('tsx/esm/api')).register() : undefined;
  try {
    await import(pathToFileURL(file).href);
    return { ok: true };
  } catch (e) {
    const diagnostics = synthesisDiagnostics(e);
    if (diagnostics) return { ok: false, diagnostics };
    throw new CliError(`The app failed before synthesis finished: ${(e as Error)?.message ?? String(e)}`, EXIT.invalid);
  } finally {
    await unregister?.();
    process.chdir(cwd);
  }
}

function runCommand(command: string, projectDir: string): Promise<AppRunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, { cwd: projectDir, shell: true, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
    child.on('error', (e) => reject(new CliError(`Cannot run app command '${command}': ${e.message}`, EXIT.usage)));
    child.on('exit', (code) => {
      if (code === 0) resolvePromise({ ok: true });
      else reject(new CliError(`The app command '${command}' exited with code ${code ?? 'null'}; see its output above.`, EXIT.invalid));
    });
  });
}
