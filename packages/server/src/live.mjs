/**
 * Live job events to one client (WebSocket or SSE) with a bounded buffer. At most `maxInFlight`
 * messages may be written and not yet flushed to the socket; beyond that, progress events are
 * coalesced into the latest one (the percentage is monotonic, so the latest says everything the
 * skipped ones did) and the terminal event always goes out. A slow reader therefore costs at
 * most maxInFlight + 1 messages of server memory, however many events the job produces.
 */
export function boundedSink({ write, end, maxInFlight = 8 }) {
  let inFlight = 0;
  let pending;
  let closed = false;
  let ending = false;

  const flush = () => {
    if (closed || inFlight >= maxInFlight || !pending) return;
    const event = pending;
    pending = undefined;
    send(event);
  };
  const send = (event) => {
    inFlight++;
    const terminal = event.type !== "progress";
    write(JSON.stringify(event), () => {
      inFlight--;
      if (terminal) finish();
      else flush();
    });
  };
  const finish = () => {
    if (closed || ending) return;
    ending = true;
    end();
  };

  return {
    stats: () => ({ inFlight, pending: pending !== undefined }),
    push(event) {
      if (closed || ending) return;
      if (event.type !== "progress") {
        // The end replaces any coalesced progress: the client learns the outcome, which supersedes it.
        pending = undefined;
        send(event);
        return;
      }
      if (inFlight < maxInFlight && !pending) send(event);
      else pending = event;
    },
    close() {
      closed = true;
      pending = undefined;
    },
  };
}

/**
 * Attach a sink to a job: the current state first, then every event until the end. Listening
 * starts before the state is sent, so an end that happens in between is not missed; a progress
 * event older than what was sent is dropped (the bar never goes back).
 */
export function followJob(job, sink, listen) {
  let sent = -1;
  const push = (event) => {
    if (event.type === "progress") {
      if (event.progress < sent) return;
      sent = event.progress;
    }
    sink.push(event);
  };
  const unlisten = job.terminal ? () => undefined : listen(push);
  push(job.currentEvent());
  return () => {
    unlisten();
    sink.close();
  };
}
