import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of etcd that can lose the answer of a request etcd
 * did apply (the hard case for retries), or cut every connection after a
 * number of write requests (etcd "dies" in the middle of an apply).
 */
export class FaultyProxy {
  /** URL to give the driver. */
  public url = '';
  private server?: Server;
  private lose: { match: RegExp; remaining: number } = { match: /^$/, remaining: 0 };
  private writesLeft = Infinity;
  /** Requests whose answer was thrown away. */
  public lost = 0;

  constructor(private readonly target: URL) {}

  /** Starts listening on a free loopback port. */
  public async start(): Promise<this> {
    this.server = createServer((client) => this.handle(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  /** The next `count` requests whose first line matches reach etcd, but their answers are dropped. */
  public loseAnswers(match: RegExp, count = 1): void {
    this.lose = { match, remaining: count };
  }

  /** Lets `n` more write requests through, then resets every connection until {@link heal}. */
  public cutAfterWrites(n: number): void {
    this.writesLeft = n;
  }

  /** Back to a plain proxy. */
  public heal(): void {
    this.writesLeft = Infinity;
    this.lose.remaining = 0;
  }

  /** Stops listening. */
  public async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(client: Socket): void {
    let upstream: Socket | undefined;
    let drop = false;
    client.on('error', () => upstream?.destroy());
    client.once('data', (first) => {
      const line = first.toString('latin1', 0, Math.min(first.length, 200)).split('\r\n')[0] ?? '';
      const write = /^(PUT|DELETE|POST \/v3\w*\/kv\/(txn|put|deleterange))/.test(line);
      if (write) {
        if (this.writesLeft <= 0) return client.resetAndDestroy();
        this.writesLeft--;
      }
      if (this.lose.remaining > 0 && this.lose.match.test(line)) {
        this.lose.remaining--;
        drop = true;
      }
      upstream = connect(Number(this.target.port), this.target.hostname);
      upstream.on('error', () => client.destroy());
      upstream.on('data', (d) => {
        if (!drop) return void client.write(d);
        this.lost++;
        client.resetAndDestroy();
        upstream!.destroy();
      });
      upstream.on('end', () => client.end());
      upstream.write(first);
      client.on('data', (d) => upstream!.write(d));
      client.on('end', () => upstream!.end());
    });
  }
}
