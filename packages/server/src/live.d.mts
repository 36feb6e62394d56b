export interface LiveEvent {
  type: string;
  [key: string]: unknown;
}
export interface BoundedSink {
  push(event: LiveEvent): void;
  close(): void;
  stats(): { inFlight: number; pending: boolean };
}
export function boundedSink(options: { write: (data: string, done: () => void) => void; end: () => void; maxInFlight?: number }): BoundedSink;
