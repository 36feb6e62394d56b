/**
 * The helper side of a split bn254 proof: runs in a nested worker of the prover worker, keeps one
 * decoded slice per circuit (each in its own bn254.wasm instance) and answers the lead's
 * requests in order. A failure the helper can describe (memory that cannot grow, a bad slice)
 * goes back typed; a message outside the protocol throws out of the handler, which kills this
 * helper: its parent sees the death and fails the proof as a crash.
 */
import { classifyError } from "../../../core/error-classification.js";
import { PromiseMemo } from "../../../core/shared-flights.js";
import { serialQueue } from "../../../core/serial-queue.js";
import { instantiateBn254Wasm, type Bn254Exports } from "../bn254-wasm.js";
import type { FromSliceHelper, SliceEndpoint, ToSliceHelper } from "./slice-helper-protocol.js";
import { hPartial, loadWarmSlice, witnessPartials, type WarmSlice } from "./warm-slice.js";

export function serveSlices(endpoint: SliceEndpoint): void {
  const slices = PromiseMemo.strong<number, { e: Bn254Exports; slice: WarmSlice }>();
  const send = (m: FromSliceHelper) => endpoint.postMessage(m);
  // One request at a time, in arrival order: "h" of a proof follows its "witness" on one instance.
  const serial = serialQueue();

  const handle = async (m: ToSliceHelper): Promise<void> => {
    try {
      if (m.kind === "load") {
        await slices.set(m.key, () => instantiateBn254Wasm(m.module).then(({ exports: e }) => ({ e, slice: loadWarmSlice(e, m.slice) })));
        return send({ kind: "loaded", call: m.call });
      }
      if (m.kind === "drop") {
        slices.delete(m.key);
        return send({ kind: "dropped", call: m.call });
      }
      const held = slices.peek(m.key);
      if (!held) throw new RangeError(`no slice ${m.key} in this helper`);
      const { e, slice } = await held;
      try {
        if (m.kind === "witness") send({ kind: "witness-part", call: m.call, part: witnessPartials(e, slice, m.ab, m.c) });
        else send({ kind: "h-part", call: m.call, point: hPartial(e, slice, m.h) });
      } finally {
        // Witness values and H evaluations do not stay in this helper's memory: neither in its
        // wasm instance nor in the buffers it received.
        e.bn_wipe();
        if (m.kind === "witness") m.ab.fill(0), m.c.fill(0);
        else m.h.fill(0);
      }
    } catch (error) {
      send({ kind: "failed", call: m.call, error: classifyError(error, { stage: "proving" }).toWire() });
    }
  };

  endpoint.onMessage((data) => {
    const m = data as Partial<ToSliceHelper> | null;
    if (!m || (m.kind !== "load" && m.kind !== "witness" && m.kind !== "h" && m.kind !== "drop") || typeof m.call !== "number") {
      throw new TypeError("bn254 helper: a message outside the protocol");
    }
    // handle() answers every failure with a message, so its promise never rejects.
    void serial(() => handle(m as ToSliceHelper));
  });
  send({ kind: "ready" });
}
