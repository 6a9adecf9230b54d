import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { LOADING_REPLY, RedisFaultProxy } from './redis-fault-proxy';
import { RespSplitter } from './resp';

describe('RespSplitter', () => {
  it('splits whole values across chunk boundaries, nested arrays and bulk strings included', () => {
    const s = new RespSplitter();
    const wire = Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\na\r\n+OK\r\n$-1\r\n*2\r\n*1\r\n:1\r\n$2\r\nhi\r\n');
    const out: string[] = [];
    for (let i = 0; i < wire.length; i += 3) out.push(...s.push(wire.subarray(i, i + 3)).map((b) => b.toString()));
    expect(out).toEqual(['*2\r\n$3\r\nGET\r\n$1\r\na\r\n', '+OK\r\n', '$-1\r\n', '*2\r\n*1\r\n:1\r\n$2\r\nhi\r\n']);
  });
});

/** A fake Redis: answers every command with `+PONG<n>` after `delayMs`, in order. */
async function fakeRedis(delayMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer((sock) => {
    const split = new RespSplitter();
    let n = 0;
    sock.on('data', (chunk: Buffer) => {
      for (const _cmd of split.push(chunk)) {
        const reply = `+PONG${++n}\r\n`;
        setTimeout(() => sock.write(reply), delayMs);
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : 0 };
}

function client(port: number): Promise<{ sock: Socket; replies: string[] }> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ port, host: '127.0.0.1' }, () => resolve({ sock, replies }));
    const replies: string[] = [];
    const split = new RespSplitter();
    sock.on('data', (c: Buffer) => replies.push(...split.push(c).map((b) => b.toString().trim())));
    sock.on('error', reject);
  });
}

const PING = '*1\r\n$4\r\nPING\r\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisFaultProxy', () => {
  it('passes traffic, answers LOADING in command order while loading, then drops and refuses connections while down', async () => {
    const redis = await fakeRedis(50);
    const proxy = await RedisFaultProxy.start({ port: 0, upstreamPort: redis.port });
    try {
      const c = await client(proxy.port);
      c.sock.write(PING);
      await sleep(20);
      // Loading starts while the first command waits for Redis: its reply still comes first.
      const loading = proxy.loading(300);
      c.sock.write(PING + PING);
      await sleep(150);
      expect(c.replies).toEqual(['+PONG1', LOADING_REPLY.toString().trim(), LOADING_REPLY.toString().trim()]);
      await loading;
      c.sock.write(PING);
      await sleep(150);
      expect(c.replies.at(-1)).toBe('+PONG2');

      const closed = new Promise<void>((r) => c.sock.on('close', () => r()));
      const down = proxy.down(300);
      await closed;
      await expect(client(proxy.port)).rejects.toThrow(/ECONNREFUSED/);
      await down;
      const again = await client(proxy.port);
      again.sock.write(PING);
      await sleep(150);
      expect(again.replies).toEqual(['+PONG1']);
      again.sock.destroy();
      expect(proxy.stats).toMatchObject({ loadingReplies: 2, droppedConnections: 1 });
    } finally {
      await proxy.close();
      redis.server.close();
    }
  });
});
