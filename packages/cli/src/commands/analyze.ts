/**
 * `dcos-cdk analyze`: who can reach whom. Reads a bundle (or plain Marathon JSON and calicoctl
 * YAML with `--files`), evaluates every flow with Felix's semantics and prints the matrix and
 * the findings; explains one flow (`--explain`), prints JSON (`--json`) or writes an HTML
 * report (`--html`).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { explain, matrixToJson, matrixToTable, parseCidr, type PeerSpec } from '@dcos-cdk/calico';
import { readProjectConfig } from '@dcos-cdk/core';
import { CliError, EXIT } from '../errors.js';
import { explanationJson, explanationLines, parseFlowExpression, partyName } from '../analysis/explain-text.js';
import { htmlReport } from '../analysis/html-report.js';
import { expandFiles, formatFinding, leaksOf, loadAnalysis, type AnalysisInput, type LoadedAnalysis } from '../analysis/load.js';

type Line = (line: string) => void;

/** Help of `dcos-cdk analyze`. */
export const ANALYZE_USAGE = `Usage: dcos-cdk analyze [bundle] [options]
       dcos-cdk analyze --files <file or folder...> [options]

Evaluates every flow between the apps of the bundle, and from the addresses outside the cluster,
with Felix's semantics (policy order, first match, default drop once a policy selects an app,
profiles), then prints the reachability matrix and the findings: flows between environments,
shadowed rules, policies that select nothing, declared ports nobody can reach, ports open to the
Internet, ports opened but not declared.

Input:
  [bundle] | -o, --output <dir>   bundle folder (default: "output" of dcos-cdk.json, else dcos.out)
      --files <paths...>         plain Marathon app JSON and calicoctl YAML/JSON files (or folders
                                 of them) instead of a bundle: what an operator applies today
      --lan <name>=<cidr>        an external peer to show as a source, e.g. LAN=10.20.0.0/16
                                 (repeatable; the Internet, 0.0.0.0/0, is always one)
      --env-label <key>          label whose value names an app's environment (default group)
      --isolated <env,...>       environments no other may reach: flows into them are errors
                                 (default for a bundle: every environment but those synth
                                 warned about, which have isolated: false; none for --files)
Output (default: the matrix as a table, then the findings):
      --explain "<from> -> <to>:<proto>/<port>"
                                 why one flow is allowed or denied: from and to are Marathon app
                                 ids, peer names, CIDRs or addresses; proto tcp, udp, sctp or icmp
                                 (icmp without a port: echo request)
      --json                     the matrix as JSON: { endpoints, peers, flows, findings }
      --html <file>              also write a self-contained HTML report (heatmap, filters by
                                 environment, the explanation of a cell on click)
      --fail-on-findings         exit 1 when a finding is an error (e.g. a flow into an isolated
                                 environment)
  -h, --help                     this help

Exit codes: 0 ok, 1 unreadable input (or an error finding with --fail-on-findings), 2 wrong usage.`;

/** Parsed flags of `dcos-cdk analyze`. */
export interface AnalyzeFlags {
  /** The bundle folder, or the plain files of `--files`. */
  readonly input: AnalysisInput;
  /** `--lan` peers. */
  readonly peers: readonly PeerSpec[];
  /** `--env-label`. */
  readonly envLabel: string;
  /** `--isolated`, when given. */
  readonly isolated?: readonly string[];
  /** `--explain`: the flow expression. */
  readonly explain?: string;
  /** `--json`. */
  readonly json: boolean;
  /** `--html`: the absolute path of the report. */
  readonly html?: string;
  /** `--fail-on-findings`. */
  readonly failOnFindings: boolean;
  /** `--help`. */
  readonly help: boolean;
}

/** Parses the arguments after `analyze`. */
export function parseAnalyzeFlags(argv: readonly string[], cwd: string): AnalyzeFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        files: { type: 'boolean', default: false },
        lan: { type: 'string', multiple: true },
        'env-label': { type: 'string' },
        isolated: { type: 'string', multiple: true },
        explain: { type: 'string' },
        json: { type: 'boolean', default: false },
        html: { type: 'string' },
        'fail-on-findings': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message} (see 'dcos-cdk analyze --help')`, EXIT.usage);
  }
  const v = parsed.values;
  const positionals = parsed.positionals;
  let input: AnalysisInput;
  if (v.help) input = { kind: 'bundle', dir: cwd };
  else if (v.files) {
    if (positionals.length === 0) throw new CliError('--files needs at least one file or folder, e.g. --files walkthrough/*.json walkthrough/*.yaml.', EXIT.usage);
    if (v.output !== undefined) throw new CliError('--files reads plain files; --output names a bundle. Pass one or the other.', EXIT.usage);
    input = { kind: 'files', paths: expandFiles(positionals, cwd) };
  } else {
    if (positionals.length > 1) throw new CliError(`analyze takes one bundle folder, got ${positionals.join(' ')} (plain files go after --files).`, EXIT.usage);
    let projectOutput: string | undefined;
    if (positionals[0] === undefined && v.output === undefined) {
      try {
        projectOutput = readProjectConfig(cwd).output;
      } catch (e) {
        throw new CliError((e as Error).message, EXIT.invalid);
      }
    }
    input = { kind: 'bundle', dir: resolve(cwd, positionals[0] ?? v.output ?? projectOutput ?? 'dcos.out') };
  }
  const list = (values: readonly string[] | undefined): string[] | undefined =>
    values === undefined ? undefined : values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (v.explain !== undefined && v.html !== undefined) throw new CliError('--explain prints one flow; leave out --html.', EXIT.usage);
  const envLabel = v['env-label'] ?? 'group';
  if (envLabel === '') throw new CliError('--env-label needs a label key, e.g. group.', EXIT.usage);
  return {
    input,
    peers: (v.lan ?? []).map(parsePeer),
    envLabel,
    ...(v.isolated !== undefined ? { isolated: list(v.isolated)! } : {}),
    ...(v.explain !== undefined ? { explain: v.explain } : {}),
    json: v.json ?? false,
    ...(v.html !== undefined ? { html: resolve(cwd, v.html) } : {}),
    failOnFindings: v['fail-on-findings'] ?? false,
    help: v.help ?? false,
  };
}

/** `--lan LAN=10.20.0.0/16`, or a bare CIDR named after itself. */
export function parsePeer(text: string): PeerSpec {
  const eq = text.lastIndexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : text.trim();
  const cidr = eq > 0 ? text.slice(eq + 1).trim() : text.trim();
  if (!parseCidr(cidr)) throw new CliError(`--lan '${text}': '${cidr}' is not a CIDR or address; write --lan <name>=<cidr>, e.g. --lan LAN=10.20.0.0/16.`, EXIT.usage);
  return { name, cidr };
}

/** Runs `dcos-cdk analyze` with `argv` (the arguments after `analyze`); returns the exit code. */
export async function runAnalyze(argv: readonly string[], out: Line, err: Line, cwd: string = process.cwd()): Promise<number> {
  const flags = parseAnalyzeFlags(argv, cwd);
  if (flags.help) {
    out(ANALYZE_USAGE);
    return EXIT.ok;
  }
  const a = loadAnalysis(flags.input, { peers: flags.peers, envLabel: flags.envLabel, ...(flags.isolated ? { isolated: flags.isolated } : {}) });
  if (flags.explain !== undefined) {
    const query = parseFlowExpression(flags.explain);
    let x;
    try {
      x = explain(a.matrix, query);
    } catch (e) {
      throw new CliError(`--explain: ${(e as Error).message} Endpoints: ${a.model.endpoints.map((p) => p.id).join(', ') || 'none'}; peers: ${a.matrix.sources().filter((s) => s.kind === 'peer').map(partyName).join(', ')}.`, EXIT.usage);
    }
    if (flags.json) out(JSON.stringify(explanationJson(x, a.model), null, 2));
    else for (const l of explanationLines(x, a.model)) out(l);
    return EXIT.ok;
  }
  if (flags.html !== undefined) {
    writeFileSync(flags.html, htmlReport(a));
    (flags.json ? err : out)(`Wrote the HTML report to ${flags.html}.`);
  }
  if (flags.json) out(JSON.stringify(analysisJson(a), null, 2));
  else printText(a, out);
  return flags.failOnFindings && a.findings.some((f) => f.severity === 'error') ? EXIT.invalid : EXIT.ok;
}

/** `--json`: the matrix (every endpoint and peer to every endpoint, every listed port), the peers and the findings. */
export function analysisJson(a: LoadedAnalysis): Record<string, unknown> {
  const { endpoints, flows } = matrixToJson(a.matrix);
  const peers = a.matrix.sources().flatMap((s) => (s.kind === 'peer' ? [{ name: s.peer.name, cidr: s.peer.cidr.text, declared: s.peer.declared }] : []));
  return { endpoints, peers, flows, findings: a.findings, environmentLabel: a.envLabel, isolated: a.isolated };
}

function printText(a: LoadedAnalysis, out: Line): void {
  const { model } = a;
  const what = a.input.kind === 'bundle' ? `bundle ${a.input.dir}` : `${a.input.paths.length} file(s)`;
  out(`Connectivity of ${what}: ${model.endpoints.length} apps on Calico, ${model.policies.length} policies, ${model.profiles.filter((p) => !p.builtIn).length} profiles (Calico ${model.apiVersion}).`);
  if (model.endpoints.length === 0) out('No app joins a Calico network, so there is no matrix.');
  else {
    out('');
    for (const l of matrixToTable(a.matrix).trimEnd().split('\n')) out(l);
    out('(✓ the flow can be opened, ✗ it cannot; rows are sources, columns destination app and port.)');
  }
  out('');
  const leaks = leaksOf(a.findings);
  const into = leaks.filter((f) => f.severity === 'error').length;
  if (leaks.length === 0) out(`No leak: no flow crosses environments (label ${a.envLabel}${a.environments.length ? `: ${a.environments.join(', ')}` : ''}).`);
  else out(`${leaks.length} leak${leaks.length === 1 ? '' : 's'} between environments${into ? `, ${into} into isolated environments` : ''}.`);
  if (a.findings.length === 0) out('No findings.');
  else {
    const errors = a.findings.filter((f) => f.severity === 'error').length;
    out(`${a.findings.length} finding${a.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}):`);
    for (const f of a.findings) out(formatFinding(f));
  }
}
