/**
 * `dcos-cdk analyze --html report.html`: one self-contained page (inline CSS and script, the
 * data embedded as JSON, no network access) with the reachability matrix as a heatmap — rows
 * are sources (apps, then external peers), columns are destination app × port — filters by
 * environment, the findings, and the explanation of a cell on click: per direction the
 * deciding policy or profile, rule index, action and construct path (or file position).
 *
 * @module
 */
import { listedPorts, type AnalysisFinding, type DirectionDecision, type FlowParty, type MatrixCell, type ReachabilityMatrix } from '@dcos-cdk/calico';
import { decisionText, originOf, partyName } from './explain-text.js';
import { CLIENT_SCRIPT, PAGE_STYLE } from './html-assets.js';
import type { LoadedAnalysis } from './load.js';

/** A row of the heatmap: a source. */
export interface ReportRow {
  /** `/app` or `LAN (10.20.0.0/16)`. */
  readonly name: string;
  /** Endpoint or external peer. */
  readonly kind: 'endpoint' | 'peer';
  /** Its environment (value of the environment label), or null (peers, apps without one). */
  readonly env: string | null;
}

/** A column of the heatmap: a destination app and a port (or ping). */
export interface ReportColumn {
  /** Destination app id. */
  readonly to: string;
  /** Its environment, or null. */
  readonly env: string | null;
  /** `tcp`, `udp`, `sctp` or `icmp` (ping). */
  readonly protocol: string;
  /** The port, or null for ping. */
  readonly port: number | null;
  /** False for a port some rule opens but the app does not declare. */
  readonly declared: boolean;
}

/** One direction's decision, as the page shows it. */
export interface ReportDecision {
  /** `egress` (the source's chain) or `ingress` (the destination's). */
  readonly direction: 'egress' | 'ingress';
  /** Whether this direction lets the flow through. */
  readonly allowed: boolean;
  /** What decided, in words: `policy x rule 0 (allow)`, or why it was denied. */
  readonly text: string;
  /** The deciding policy (or profile) name. */
  readonly policy?: string;
  /** The deciding rule's index in that direction's rules. */
  readonly ruleIndex?: number;
  /** The deciding rule's action. */
  readonly action?: string;
  /** Construct that emitted the policy or profile. */
  readonly constructPath?: string;
  /** File and line it was read from. */
  readonly location?: string;
}

/** Everything the page embeds. */
export interface ReportData {
  /** Page title. */
  readonly title: string;
  /** What was analyzed. */
  readonly input: string;
  /** The environment label. */
  readonly envLabel: string;
  /** Environments, sorted. */
  readonly environments: readonly string[];
  /** The isolated ones. */
  readonly isolated: readonly string[];
  /** Sources. */
  readonly rows: readonly ReportRow[];
  /** Destination app × port. */
  readonly columns: readonly ReportColumn[];
  /** `cells[row][column]`: `[allowed (1/0), egress decision index (-1: not policed), ingress decision index]`, or null when not applicable. */
  readonly cells: ReadonlyArray<ReadonlyArray<readonly [number, number, number] | null>>;
  /** Decisions referenced by the cells. */
  readonly decisions: readonly ReportDecision[];
  /** The findings. */
  readonly findings: readonly AnalysisFinding[];
}

function cellFor(cells: readonly MatrixCell[], protocol: string, port: number | null): MatrixCell | undefined {
  return cells.find((c) => c.protocol === protocol && (port === null ? c.ports === undefined : c.ports !== undefined && c.ports.from <= port && port <= c.ports.to));
}

/** The data of the page. */
export function reportData(a: LoadedAnalysis, title: string): ReportData {
  const m: ReachabilityMatrix = a.matrix;
  const envOf = (p: FlowParty): string | null => (p.kind === 'endpoint' ? (p.endpoint.labels[a.envLabel] ?? null) : null);
  const sources = m.sources();
  const rows: ReportRow[] = sources.map((s) => ({ name: partyName(s), kind: s.kind, env: envOf(s) }));
  const listed = listedPorts(a.model);
  const protocolNames: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };
  const decisions: ReportDecision[] = [];
  const decisionIndex = new Map<DirectionDecision, number>();
  const indexOf = (d: DirectionDecision | undefined): number => {
    if (!d) return -1;
    let i = decisionIndex.get(d);
    if (i === undefined) {
      i = decisions.length;
      decisionIndex.set(d, i);
      decisions.push({
        direction: d.direction,
        allowed: d.allowed,
        text: decisionText(d),
        ...(d.policy ?? d.profile ? { policy: d.policy ?? d.profile } : {}),
        ...(d.ruleIndex !== undefined ? { ruleIndex: d.ruleIndex } : {}),
        ...(d.action ? { action: d.action } : {}),
        ...originOf(a.model, d),
      });
    }
    return i;
  };
  const columns: ReportColumn[] = [];
  const cells: Array<Array<readonly [number, number, number] | null>> = sources.map(() => []);
  for (const to of m.destinations()) {
    const between = sources.map((s) => m.cellsBetween(s, to));
    const env = envOf(to);
    const candidates: Array<{ protocol: string; port: number | null; declared: boolean }> = to.endpoint.ports.map((p) => ({ protocol: p.protocol, port: p.port, declared: true }));
    for (const [number, ports] of listed) {
      const protocol = protocolNames[number];
      if (!protocol) continue;
      for (const port of ports) if (!candidates.some((c) => c.protocol === protocol && c.port === port)) candidates.push({ protocol, port, declared: false });
    }
    candidates.push({ protocol: 'icmp', port: null, declared: true });
    for (const c of candidates) {
      const found = sources.map((s, r) => cellFor(between[r]!, c.protocol === 'icmp' && s.kind === 'peer' && s.peer.cidr.version === 6 ? 'icmpv6' : c.protocol, c.port));
      // A port no app declares is shown only where someone can reach it.
      if (!c.declared && !found.some((x) => x?.allowed)) continue;
      columns.push({ to: to.endpoint.id, env, ...c });
      found.forEach((x, r) => cells[r]!.push(x ? [x.allowed ? 1 : 0, indexOf(x.egress), indexOf(x.ingress)] : null));
    }
  }
  const input = a.input.kind === 'bundle' ? `bundle ${a.input.dir}` : `${a.input.paths.length} file(s): ${a.input.paths.join(', ')}`;
  return { title, input, envLabel: a.envLabel, environments: a.environments, isolated: a.isolated, rows, columns, cells, decisions, findings: a.findings };
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page: one HTML file with everything inline. */
export function renderHtmlReport(data: ReportData): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(data.title)}</h1><p id="input"></p><p id="summary"></p></header>`,
    '<section id="controls">',
    '<label>From environment <select id="from-env"></select></label>',
    '<label>To environment <select id="to-env"></select></label>',
    '<label><input type="checkbox" id="only-allowed"> only rows and columns with an allowed flow</label>',
    '<span class="legend"><span class="swatch allow"></span>allowed <span class="swatch leak"></span>allowed between environments <span class="swatch deny"></span>denied <span class="swatch na"></span>not applicable</span>',
    '</section>',
    '<main>',
    '<div id="matrix-wrap"><table id="matrix"></table></div>',
    '<aside id="explanation"><p class="hint">Click a cell to see why the flow is allowed or denied.</p></aside>',
    '</main>',
    '<section id="findings"><h2>Findings</h2><ul id="findings-list"></ul></section>',
    `<script type="application/json" id="report-data">${scriptJson(data)}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The whole page for a loaded analysis. */
export function htmlReport(a: LoadedAnalysis, title = 'Connectivity analysis'): string {
  return renderHtmlReport(reportData(a, title));
}
