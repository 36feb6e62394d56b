/**
 * Follow a remote proving job over the service's WebSocket until it ends: every event, in order.
 */
import WebSocket from "ws";

export function followJob(base: string, id: string, authorization: string, onEvent: (e: Record<string, unknown>) => void = () => undefined): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const events: Record<string, unknown>[] = [];
    const ws = new WebSocket(`${base.replace("http", "ws")}/v1/proofs/${id}/events`, { headers: { authorization } });
    ws.on("message", (data) => {
      const event = JSON.parse(String(data)) as Record<string, unknown>;
      events.push(event);
      onEvent(event);
    });
    ws.on("close", () => resolve(events));
    ws.on("error", reject);
  });
}
