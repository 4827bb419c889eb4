import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
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
  const typescript = /\.(m|c)?ts$/.test(file);
  if (typescript) await preloadLibraries(projectDir);
  const unregister = typescript ? (await import('tsx/esm/api')).register() : undefined;
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

/**
 * Loads the project's dcos-cdk libraries (its `@dcos-cdk/*` dependencies)
 * before tsx's hooks are registered. They are compiled JavaScript: loaded
 * natively, their modules skip a round trip each through tsx's loader
 * thread, which was a third of a cold `synth`. The app's own imports then
 * find them loaded. A library that does not load is left to the app's import
 * to report.
 */
async function preloadLibraries(projectDir: string): Promise<void> {
  const manifest = join(projectDir, 'package.json');
  let names: string[];
  try {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    names = Object.keys({ ...pkg.devDependencies, ...pkg.dependencies }).filter((n) => n.startsWith('@dcos-cdk/') && !PRELOAD_SKIP.has(n));
  } catch {
    return;
  }
  const require = createRequire(manifest);
  await Promise.all(
    names.map(async (name) => {
      try {
        await import(pathToFileURL(require.resolve(name)).href);
      } catch {
        // Not resolvable or failing to load: the app's import says why.
      }
    }),
  );
}

/** The CLI itself, and test helpers a stack does not import. */
const PRELOAD_SKIP = new Set(['@dcos-cdk/cli', '@dcos-cdk/testing']);

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
