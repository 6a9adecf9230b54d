import net from 'node:net';

/**
 * A TCP proxy in front of Redis that, once armed, lets the next command reach Redis but
 * drops its reply and cuts the client's connection: the one failure that makes ioredis
 * re-send a command Redis already executed.
 */
export class ReplyDroppingProxy {
  private armed = false;
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  /** How many replies were dropped so far. */
  dropped = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  /** Starts listening on a free loopback port and returns its redis:// URL. */
  async start(): Promise<string> {
    const server = net.createServer((client) => {
      const redis = net.connect(this.upstream);
      this.sockets.add(client).add(redis);
      const cut = (): void => {
        client.destroy();
        redis.destroy();
      };
      client.on('data', (chunk) => redis.write(chunk));
      redis.on('data', (chunk) => {
        if (this.armed) {
          this.armed = false;
          this.dropped += 1;
          cut();
          return;
        }
        client.write(chunk);
      });
      client.on('close', cut).on('error', cut);
      redis.on('close', cut).on('error', cut);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    return `redis://127.0.0.1:${port}`;
  }

  /** Drops the next reply Redis sends through the proxy. */
  dropNextReply(): void {
    this.armed = true;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
