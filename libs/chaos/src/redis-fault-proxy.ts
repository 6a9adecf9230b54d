import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { RespSplitter } from './resp';

/** What a Redis that is still loading its dataset answers to every command. */
export const LOADING_REPLY = Buffer.from('-LOADING Redis is loading the dataset in memory\r\n');

/** How the proxy treats traffic. */
export type ProxyMode = 'pass' | 'loading' | 'down';

/** Counters of what the proxy did, for the report. */
export interface ProxyStats {
  connections: number;
  commands: number;
  loadingReplies: number;
  droppedConnections: number;
}

interface Pending {
  reply: Buffer | null;
}

/** One client connection and its upstream, with replies kept in command order. */
class Link {
  private readonly fromClient = new RespSplitter();
  private readonly fromServer = new RespSplitter();
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly proxy: RedisFaultProxy,
  ) {
    client.on('data', (chunk: Buffer) => this.onCommands(chunk));
    upstream.on('data', (chunk: Buffer) => this.onReplies(chunk));
    const end = () => this.close();
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  }

  private onCommands(chunk: Buffer): void {
    for (const cmd of this.fromClient.push(chunk)) {
      this.proxy.stats.commands += 1;
      if (this.proxy.mode === 'loading') {
        this.proxy.stats.loadingReplies += 1;
        this.queue.push({ reply: LOADING_REPLY });
      } else {
        this.queue.push({ reply: null });
        this.upstream.write(cmd);
      }
    }
    this.flush();
  }

  private onReplies(chunk: Buffer): void {
    for (const reply of this.fromServer.push(chunk)) {
      const waiting = this.queue.find((p) => p.reply === null);
      // A reply nobody asked for (a push message): pass it on as it comes.
      if (waiting) waiting.reply = reply;
      else if (!this.closed) this.client.write(reply);
    }
    this.flush();
  }

  private flush(): void {
    while (this.queue.length > 0 && this.queue[0].reply !== null) {
      const head = this.queue.shift() as Pending;
      if (!this.closed) this.client.write(head.reply as Buffer);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream.destroy();
    this.proxy.forget(this);
  }
}

/**
 * A loopback TCP proxy in front of Redis that injects the transient faults a real Redis
 * shows: `loading` answers every command with `-LOADING` (as while it loads its dataset
 * after a restart), `down` drops every connection and refuses new ones (as during a
 * failover or restart). Replies keep their command order on every connection.
 */
export class RedisFaultProxy {
  readonly stats: ProxyStats = { connections: 0, commands: 0, loadingReplies: 0, droppedConnections: 0 };
  private readonly links = new Set<Link>();
  private server: Server | undefined;
  private current: ProxyMode = 'pass';

  private constructor(
    private boundPort: number,
    private readonly upstreamPort: number,
    private readonly host: string,
  ) {}

  /** Starts listening on `port` (0: any free port), forwarding to Redis at `upstreamPort`. */
  static async start(opts: { port: number; upstreamPort: number; host?: string }): Promise<RedisFaultProxy> {
    const proxy = new RedisFaultProxy(opts.port, opts.upstreamPort, opts.host ?? '127.0.0.1');
    proxy.boundPort = await proxy.listen();
    return proxy;
  }

  /** The port it listens on. */
  get port(): number {
    return this.boundPort;
  }

  /** The mode in force. */
  get mode(): ProxyMode {
    return this.current;
  }

  /** The URL clients use instead of Redis'. */
  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  /** Answers every command with `-LOADING` for `ms`, then passes traffic again. */
  async loading(ms: number): Promise<void> {
    this.current = 'loading';
    await sleep(ms);
    if (this.current === 'loading') this.current = 'pass';
  }

  /** Drops every connection and refuses new ones for `ms`, then listens again. */
  async down(ms: number): Promise<void> {
    this.current = 'down';
    // close() waits for open connections: drop them in the same turn.
    const closed = this.closeServer();
    this.stats.droppedConnections += this.links.size;
    for (const link of [...this.links]) link.close();
    await closed;
    await sleep(ms);
    await this.listen();
    this.current = 'pass';
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    this.current = 'down';
    const closed = this.closeServer();
    for (const link of [...this.links]) link.close();
    await closed;
  }

  /** @internal */
  forget(link: Link): void {
    this.links.delete(link);
  }

  private listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : this.boundPort);
      });
    });
  }

  private closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.current === 'down') {
      client.destroy();
      return;
    }
    this.stats.connections += 1;
    client.setNoDelay(true);
    const upstream = createConnection({ port: this.upstreamPort, host: this.host });
    upstream.setNoDelay(true);
    this.links.add(new Link(client, upstream, this));
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
