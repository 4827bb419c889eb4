import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Bundle } from './bundle/bundle.js';
import { writeBundle } from './bundle/writer.js';
import { brand, hasBrand } from './brand.js';
import { synthesizeTree } from './synthesis/synthesize.js';

/** Name of the project file the CLI and `App` read. */
export const PROJECT_FILE = 'dcos-cdk.json';

/**
 * Environment variables through which the `dcos-cdk` CLI passes its flags to
 * the app it runs (the same protocol aws-cdk uses): the output folder and
 * extra context as JSON.
 */
export const CLI_ENV = { outdir: 'DCOS_CDK_OUTDIR', context: 'DCOS_CDK_CONTEXT' } as const;

/** The project file, `dcos-cdk.json`. */
export interface ProjectConfig {
  /** Command that runs the stack, e.g. `npx tsx bin/app.ts`, or a `.ts`/`.js` file. */
  readonly app?: string;
  /** Output folder of synth. @default 'dcos.out' */
  readonly output?: string;
  /** Context values available through `node.tryGetContext`. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Options of {@link App}. */
export interface AppProps {
  /** Where `synth()` writes the bundle. @default `output` of dcos-cdk.json, else 'dcos.out' */
  readonly outdir?: string;
  /** Context values; they override those of dcos-cdk.json. @default {} */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Folder holding `dcos-cdk.json`; set to `false` not to read it (tests).
   * @default process.cwd()
   */
  readonly projectDir?: string | false;
}

/** Options of {@link App.synth}. */
export interface SynthOptions {
  /** Write the bundle to the output folder. @default true */
  readonly write?: boolean;
}

/**
 * The root of a construct tree. `synth()` turns the tree into a bundle.
 */
export class App extends Construct {
  /** True when `x` is an {@link App}, even from another copy of this package. */
  public static isApp(x: unknown): x is App {
    return hasBrand(x, 'App');
  }

  /** Absolute path of the folder `synth()` writes to. */
  public readonly outdir: string;

  constructor(props: AppProps = {}) {
    super(undefined as unknown as Construct, '');
    brand(this, 'App');
    const projectDir = props.projectDir === false ? undefined : (props.projectDir ?? process.cwd());
    const project = projectDir === undefined ? {} : readProjectConfig(projectDir);
    const fromCli = process.env[CLI_ENV.context];
    const context = { ...project.context, ...(fromCli ? parseContext(fromCli) : {}), ...props.context };
    for (const [k, v] of Object.entries(context)) this.node.setContext(k, v);
    const outdir = props.outdir ?? process.env[CLI_ENV.outdir] ?? project.output ?? 'dcos.out';
    this.outdir = resolve(projectDir ?? process.cwd(), outdir);
  }

  /**
   * Synthesizes the tree: validates everything (throwing a `SynthesisError`
   * that lists every error), emits the artifacts and writes the bundle.
   */
  public synth(options: SynthOptions = {}): Bundle {
    const bundle = synthesizeTree(this);
    if (options.write !== false) writeBundle(bundle, this.outdir);
    return bundle;
  }
}

/** Reads `dcos-cdk.json` from `dir`; an absent file is an empty config. */
export function readProjectConfig(dir: string): ProjectConfig {
  const file = resolve(dir, PROJECT_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as ProjectConfig;
  } catch (e) {
    throw new Error(`${file}: invalid project file: ${(e as Error).message}. It must be a JSON object with "app", "output" and "context".`);
  }
}

function parseContext(json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new Error(`${CLI_ENV.context} is not valid JSON; pass context as --context key=value.`);
  }
}
