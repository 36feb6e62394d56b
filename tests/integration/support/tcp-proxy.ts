/**
 * A one-address front for several API instances, as a load balancer gives clients: each new TCP
 * connection goes to the current target port on 127.0.0.1; when either side closes or fails, the
 * other is closed too (a dead instance drops its clients' connections).
 */
import { createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  readonly url: string;
  /** New connections go to this port from now on. */
  setTarget(port: number): void;
  /** How many connections went to `port`. */
  connectionsTo(port: number): number;
  close(): Promise<void>;
}

export async function startTcpProxy(port: number): Promise<TcpProxy> {
  let target = port;
  const open = new Set<Socket>();
  const counts = new Map<number, number>();
  const server = createServer((client) => {
    counts.set(target, (counts.get(target) ?? 0) + 1);
    const upstream = createConnection({ host: "127.0.0.1", port: target });
    const pair = [client, upstream];
    for (const s of pair) {
      open.add(s);
      s.on("error", () => pair.forEach((x) => x.destroy()));
      s.on("close", () => {
        open.delete(s);
        pair.forEach((x) => x.destroy());
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    setTarget: (p) => (target = p),
    connectionsTo: (p) => counts.get(p) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
