/**
 * Files on a node, edited safely over SSH: read with their hash, written
 * atomically (`<name>.dcos-cdk.tmp`, then `mv`) after keeping the previous
 * version as `<name>.dcos-cdk.bak`, refused when the file changed since it
 * was read, and a `<name>.dcos-cdk.pending-restart` marker that survives a
 * crash between the write and the service restart. Everything runs through
 * `sh -c`, under `sudo -n` when configured.
 */
import { posix } from 'node:path';
import type { RequestCounters } from '@dcos-cdk/core';
import { NodeSettingsError } from './node-errors.js';
import type { CommandResult, RemoteShell } from './ssh.js';

/** Quotes a string for POSIX sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs a sh script on the node, as root through `sudo -n` when `sudo` is set. */
export async function runScript(shell: RemoteShell, sudo: boolean, script: string, stdin?: string): Promise<CommandResult> {
  const command = `${sudo ? 'sudo -n ' : ''}sh -c ${shellQuote(script)}`;
  const result = await shell.exec(command, stdin);
  if (sudo && result.code !== 0 && /^sudo: /m.test(result.stderr)) {
    throw new NodeSettingsError(
      { node: shell.node },
      `sudo refused to run as root (${result.stderr.trim()}).`,
      `Give '${shell.user}' passwordless sudo on the node (as DC/OS images do for 'core'), or log in as root (--ssh-user root).`,
    );
  }
  return result;
}

/** Maps a path on the node to where it is under the node root (`/` on real nodes). */
export function underRoot(root: string, path: string): string {
  return root === '/' || root === '' ? path : posix.join(root, path);
}

/** A file found by {@link readFolders}. */
export interface FolderEntry {
  /** File name (no folder). */
  readonly name: string;
  /** Content (UTF-8). */
  readonly content: string;
  /** SHA-256 of the bytes on the node. */
  readonly sha256: string;
}

/** A folder and a glob of file names in it, e.g. `owner-*.json`. */
export interface FolderGlob {
  /** Absolute folder on the node. */
  readonly dir: string;
  /** File-name glob of letters, digits, `.`, `_`, `-`, `*` and `?`. */
  readonly glob: string;
}

/**
 * Reads the regular files matching each glob, all in one command (a folder
 * that does not exist gives no entry). One list per glob, in order.
 */
export async function readFolders(shell: RemoteShell, sudo: boolean, folders: readonly FolderGlob[], counters?: RequestCounters): Promise<FolderEntry[][]> {
  for (const f of folders) if (!/^[A-Za-z0-9*?._-]+$/.test(f.glob)) throw new Error(`readFolders: unsupported glob '${f.glob}'`);
  const script = [
    'l() {',
    '  for f in "$1"/$2; do',
    '    [ -f "$f" ] || continue',
    '    s=$(sha256sum < "$f") || exit 1',
    '    printf \'%s %s %s \' "$3" "${s%% *}" "$(basename "$f" | base64 -w0)"',
    '    base64 -w0 < "$f" || exit 1',
    '    echo',
    '  done',
    '}',
    ...folders.map((f, i) => `l ${shellQuote(f.dir)} ${f.glob} ${i}`),
  ].join('\n');
  if (counters) counters.reads++;
  const r = await runScript(shell, sudo, script);
  if (r.code !== 0) {
    throw new NodeSettingsError({ node: shell.node, file: folders[0]?.dir }, `Cannot read the folder (${r.stderr.trim() || `exit status ${r.code}`}).`, 'Check that the user may read it (or enable sudo), then deploy again.');
  }
  const out: FolderEntry[][] = folders.map(() => []);
  for (const line of r.stdout.split('\n')) {
    const [idx, sha256 = '', name = '', data = ''] = line.split(' ');
    const list = out[Number(idx)];
    if (!list || !name) continue;
    list.push({ name: Buffer.from(name, 'base64').toString('utf8').replace(/\n$/, ''), sha256, content: Buffer.from(data, 'base64').toString('utf8') });
  }
  return out;
}

/** What a read found. */
export interface RemoteFileState {
  /** Content; absent when the file does not exist. */
  readonly content?: string;
  /** SHA-256 of the bytes on the node; absent when the file does not exist. */
  readonly sha256?: string;
  /** The pending-restart marker exists. */
  readonly pendingRestart: boolean;
}

/** Options of a {@link RemoteFile}. */
export interface RemoteFileOptions {
  /** Run as root through `sudo -n`. */
  readonly sudo: boolean;
  /** Folder for the tmp, backup and marker files. @default the file's folder */
  readonly stateDir?: string;
  /** Counters to increment: one read per read, one write per change. */
  readonly counters?: RequestCounters;
}

/** Options of {@link RemoteFile.write}. */
export interface WriteOptions {
  /** Keep the previous content as the backup. @default true */
  readonly backup?: boolean;
  /** Create the file's folder when missing (else a missing folder is an error). @default false */
  readonly createFolder?: boolean;
  /**
   * Write the pending-restart marker, with this note, before the file is
   * changed (in the same command). @default no marker
   */
  readonly marker?: string;
}

/** One edit of {@link RemoteFile.edit}. */
export type FileEdit =
  | ({ readonly kind: 'write'; readonly file: RemoteFile; readonly content: string; readonly expect?: string | null } & WriteOptions)
  | { readonly kind: 'remove'; readonly file: RemoteFile; readonly expect?: string | null; readonly marker?: string }
  | { readonly kind: 'clear-marker'; readonly file: RemoteFile };

/** Longest content {@link RemoteFile.edit} writes (it travels inside the command line). */
const MAX_CONTENT = 64 * 1024;

/** Exit status the scripts use when the file changed since it was read. */
const CHANGED = 75;
/** Exit status the scripts use when the file's folder does not exist. */
const NO_FOLDER = 76;

/** One file on one node. */
export class RemoteFile {
  /** Temporary file written before the `mv`. */
  public readonly tmpPath: string;
  /** Previous content, kept by every write and remove. */
  public readonly backupPath: string;
  /** Exists between a change and the end of the service restart it needs. */
  public readonly markerPath: string;

  constructor(
    /** The node's shell. */
    public readonly shell: RemoteShell,
    /** Absolute path on the node (node root included). */
    public readonly path: string,
    private readonly options: RemoteFileOptions,
  ) {
    const dir = options.stateDir ?? posix.dirname(path);
    const base = posix.basename(path);
    this.tmpPath = posix.join(dir, `${base}.dcos-cdk.tmp`);
    this.backupPath = posix.join(dir, `${base}.dcos-cdk.bak`);
    this.markerPath = posix.join(dir, `${base}.dcos-cdk.pending-restart`);
  }

  /** Reads the file, its hash and the marker. */
  public async read(): Promise<RemoteFileState> {
    const [state] = await RemoteFile.readAll([this]);
    return state as RemoteFileState;
  }

  /** Reads several files of one node (same shell and sudo setting) in one command. */
  public static async readAll(files: readonly RemoteFile[]): Promise<RemoteFileState[]> {
    const first = files[0];
    if (!first) return [];
    const script = [
      'r() {',
      '  if [ -e "$2" ]; then m=P; else m=-; fi',
      '  if [ -e "$1" ]; then s=$(sha256sum < "$1") || exit 1; printf \'%s %s \' "$m" "${s%% *}"; base64 -w0 < "$1" || exit 1; echo; else echo "$m A"; fi',
      '}',
      ...files.map((f) => `r ${shellQuote(f.path)} ${shellQuote(f.markerPath)}`),
    ].join('\n');
    first.count('reads');
    const r = await runScript(first.shell, first.options.sudo, script);
    if (r.code !== 0) first.fail('Cannot read the file', r, 'Check that the user may read it (or enable sudo), then deploy again.');
    const lines = r.stdout.split('\n');
    return files.map((_, i) => {
      const [flag = '-', hash = 'A', data = ''] = (lines[i] ?? '').split(' ');
      const pendingRestart = flag === 'P';
      if (hash === 'A') return { pendingRestart };
      return { content: Buffer.from(data, 'base64').toString('utf8'), sha256: hash, pendingRestart };
    });
  }

  /**
   * Replaces the file atomically, keeping the previous version as the
   * backup. `expect` is what the last read saw: its SHA-256, `null` for
   * "absent"; the write is refused when the file changed since.
   */
  public write(content: string, expect: string | null, options: WriteOptions = {}): Promise<void> {
    return RemoteFile.edit([{ kind: 'write', file: this, content, expect, ...options }]);
  }

  /** Removes the file, keeping it as the backup; `expect` and `marker` as in {@link RemoteFile.write}. */
  public remove(expect: string | null, options: Pick<WriteOptions, 'marker'> = {}): Promise<void> {
    return RemoteFile.edit([{ kind: 'remove', file: this, expect, ...options }]);
  }

  /** Removes the pending-restart marker. */
  public clearPendingRestart(): Promise<void> {
    return RemoteFile.edit([{ kind: 'clear-marker', file: this }]);
  }

  /**
   * Performs edits of files of one node in one command: every `expect` is
   * checked first (nothing is changed when one fails), then the edits run in
   * order. Contents travel base64-encoded inside the command.
   */
  public static async edit(ops: readonly FileEdit[]): Promise<void> {
    const first = ops[0]?.file;
    if (!first) return;
    const lines = [
      'set -e',
      'chk() { if [ "$2" = absent ]; then if [ -e "$1" ]; then echo "$1 appeared since it was read" >&2; exit ' + CHANGED + '; fi',
      '  else s=$(sha256sum 2>/dev/null < "$1") || s=absent; if [ "${s%% *}" != "$2" ]; then echo "$1 changed since it was read" >&2; exit ' + CHANGED + '; fi; fi; }',
      'dir() { [ -d "$(dirname "$1")" ] || { echo "folder $(dirname "$1") does not exist" >&2; exit ' + NO_FOLDER + '; }; }',
      "mark() { mkdir -p \"$(dirname \"$1\")\"; printf '%s\\n' \"$2\" > \"$1\"; }",
      'put() { mkdir -p "$(dirname "$2")"; (umask 022; printf %s "$5" | base64 -d > "$2")',
      '  if [ -e "$1" ]; then if [ "$4" = yes ]; then cp -p "$1" "$3"; fi',
      '    chmod --reference="$1" "$2" 2>/dev/null || true; chown --reference="$1" "$2" 2>/dev/null || true; fi',
      '  mv -f "$2" "$1"; }',
      'del() { if [ -e "$1" ]; then mkdir -p "$(dirname "$2")"; cp -p "$1" "$2"; rm -f "$1"; fi; }',
      `trap 'rm -f ${ops.map((o) => shellQuote(o.file.tmpPath)).join(' ')}' EXIT`,
    ];
    const q = shellQuote;
    for (const op of ops) {
      if (op.kind !== 'clear-marker' && op.expect !== undefined) lines.push(`chk ${q(op.file.path)} ${op.expect === null ? 'absent' : q(op.expect)}`);
      if (op.kind === 'write') lines.push(op.createFolder ? `mkdir -p "$(dirname ${q(op.file.path)})"` : `dir ${q(op.file.path)}`);
    }
    for (const op of ops) {
      const f = op.file;
      if (op.kind !== 'clear-marker' && op.marker !== undefined) lines.push(`mark ${q(f.markerPath)} ${q(op.marker)}`);
      if (op.kind === 'write') {
        if (op.content.length > MAX_CONTENT) throw new NodeSettingsError({ node: f.shell.node, file: f.path }, `The new content is ${op.content.length} characters long.`, `Node setting files are limited to ${MAX_CONTENT} characters.`);
        lines.push(`put ${q(f.path)} ${q(f.tmpPath)} ${q(f.backupPath)} ${op.backup === false ? 'no' : 'yes'} ${q(Buffer.from(op.content, 'utf8').toString('base64'))}`);
      } else if (op.kind === 'remove') {
        lines.push(`del ${q(f.path)} ${q(f.backupPath)}`);
      } else {
        lines.push(`rm -f ${q(f.markerPath)}`);
      }
    }
    first.count('writes');
    const r = await runScript(first.shell, first.options.sudo, lines.join('\n'));
    if (r.code === 0) return;
    const culprit = ops.find((o) => r.stderr.includes(o.file.path))?.file ?? first;
    if (r.code === CHANGED) culprit.fail('Not changed: the file changed on the node during the deploy', r, 'Deploy again to see the new difference.');
    if (r.code === NO_FOLDER) culprit.fail('Not written', r, 'Is this a DC/OS node of the expected kind? Check --node-root and the DC/OS variant.');
    culprit.fail('Cannot change the file', r, 'Check free space and permissions (or enable sudo); a file not yet replaced keeps its previous version.');
  }

  private fail(what: string, r: CommandResult, hint: string): never {
    const detail = r.stderr.trim() || `exit status ${r.code}`;
    throw new NodeSettingsError({ node: this.shell.node, file: this.path }, `${what} (${detail}).`, hint);
  }

  private count(kind: keyof RequestCounters): void {
    if (this.options.counters) this.options.counters[kind]++;
  }
}
