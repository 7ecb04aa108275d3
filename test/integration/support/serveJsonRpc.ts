import { createServer } from 'node:http';
import type { Chain, Transport } from 'viem';

/**
 * Serves an in-process chain's JSON-RPC over HTTP on 127.0.0.1, so code that takes an RPC URL (the planner Lambda)
 * reads the same chain the test drives.
 */
export async function serveJsonRpc(transport: Transport, chain: Chain): Promise<{ url: string; close(): Promise<void> }> {
  const { request } = transport({ chain, retryCount: 0 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as
          | { id: number; method: string; params?: unknown[] }
          | { id: number; method: string; params?: unknown[] }[];
        const answer = async (call: { id: number; method: string; params?: unknown[] }) => {
          try {
            return { jsonrpc: '2.0', id: call.id, result: await request({ method: call.method, params: call.params } as never) };
          } catch (error) {
            const { code, message, data } = error as { code?: number; message?: string; data?: unknown };
            return { jsonrpc: '2.0', id: call.id, error: { code: code ?? -32000, message: message ?? String(error), data } };
          }
        };
        const result = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value)));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
