// Types of scripts/demo-server.mjs for the TypeScript browser tests.
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  bytes: number;
}

export interface DemoServerOptions {
  /** 0 picks a free port. @default 5173 */
  port?: number;
  /** @default <repo>/demo/dist */
  demoDir?: string;
  /** Served under /circuits/. @default <repo>/circuits */
  circuitsDir?: string;
  /** A path under circuitsDir served with one byte flipped (integrity tests). */
  corrupt?: string;
  /** A second static root served under /extra/. */
  extraDir?: string;
}

export interface DemoServer {
  url: string;
  port: number;
  requestLog: RequestLogEntry[];
  close(): Promise<void>;
}

export function startDemoServer(options?: DemoServerOptions): Promise<DemoServer>;
