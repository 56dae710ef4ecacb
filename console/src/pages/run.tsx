// One run: input, result and artifacts, its event log following live over
// SSE (resumed with Last-Event-ID after a drop), timings, attempts,
// routing, approval, webhook deliveries and audit.
import { useEffect, useState } from "preact/hooks";
import { get, post, streamEvents } from "../api";
import { ApprovalPanel } from "../components/approval_panel";
import { ErrorBox, Json, Loading, Section, Status, Time } from "../components/common";
import { EventList } from "../components/event_list";
import { ResultView } from "../components/result_view";
import { RoutingView } from "../components/routing_view";
import { WebhookDeliveries } from "../components/webhook_log";
import { useLoad } from "../hooks";
import { link } from "../router";
import type { AuditEntry, Run, RunEvent } from "../types";

const terminal = new Set(["succeeded", "failed", "cancelled"]);

// Follows the run's stream until its done frame, reconnecting from the last
// event seen; reports each event and the end.
function useLiveEvents(runId: string, onEnd: () => void) {
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [state, setState] = useState("connecting");
  useEffect(() => {
    setEvents([]);
    const controller = new AbortController();
    let last = "";
    let ended = false;
    // The run is read again after events, at most every 300 ms (a chatty
    // agent sends a token per event).
    let pending: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      if (pending === undefined) pending = setTimeout(() => { pending = undefined; onEnd(); }, 300);
    };
    (async () => {
      for (let attempt = 0; !ended && !controller.signal.aborted; attempt++) {
        try {
          setState("live");
          await streamEvents("GET", "/runs/" + encodeURIComponent(runId) + "/stream",
            { lastEventId: last, signal: controller.signal }, (message) => {
              if (message.event === "done") {
                ended = true;
                return;
              }
              const event = JSON.parse(message.data) as RunEvent;
              last = message.id || String(event.seq);
              setEvents((list) => [...list, event]);
              changed();
            });
        } catch (reason) {
          if (controller.signal.aborted) return;
          if ((reason as { status?: number }).status && (reason as { status: number }).status < 500) {
            setState("error: " + (reason as Error).message);
            return;
          }
        }
        if (!ended) {
          setState("reconnecting");
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * (attempt + 1))));
        }
      }
      if (ended) {
        setState("ended");
        onEnd();
      }
    })();
    return () => {
      controller.abort();
      clearTimeout(pending);
    };
  }, [runId]);
  return { events, state };
}

export function RunPage({ id }: { id: string }) {
  const { data: run, error, reload } = useLoad(() => get<Run>("/runs/" + encodeURIComponent(id)), [id]);
  const audit = useLoad(() => get<{ entries: AuditEntry[] }>("/runs/" + encodeURIComponent(id) + "/audit"), [id, run?.status]);
  const { events, state } = useLiveEvents(id, reload);
  const [cancelError, setCancelError] = useState<Error | undefined>(undefined);
  const cancel = async () => {
    try {
      await post("/runs/" + encodeURIComponent(id) + "/cancel");
      reload();
    } catch (reason) {
      setCancelError(reason as Error);
    }
  };
  return (
    <>
      <h1>Run <code>{id}</code></h1>
      <ErrorBox error={error} />
      <Loading when={run}>
        {run ? (
          <>
            <dl class="facts run-facts">
              <dt>Status</dt><dd><Status value={run.status} />{run.cancel_requested && !terminal.has(run.status) ? " (cancelling)" : ""}</dd>
              <dt>Agent</dt><dd><a href={link(["agents", run.agent])}>{run.agent}</a></dd>
              <dt>Thread</dt><dd><a href={link(["runs"], { thread_id: run.thread_id })}>{run.thread_id}</a></dd>
              {run.pipeline_id ? <><dt>Workflow</dt><dd><a href={link(["workflows", run.pipeline_id])}>{run.pipeline_id}</a>{run.step ? ` (step ${run.step})` : ""}</dd></> : null}
              <dt>Created</dt><dd><Time value={run.created_at} /></dd>
              <dt>Started</dt><dd><Time value={run.started_at} /></dd>
              <dt>Finished</dt><dd><Time value={run.finished_at} /></dd>
              <dt>Duration</dt><dd>{run.duration_seconds !== null ? run.duration_seconds.toFixed(3) + " s" : "—"}</dd>
              <dt>Attempts</dt><dd class="attempts">{run.attempts} of {run.max_attempts}</dd>
              <dt>LLM usage</dt><dd>{run.usage ? JSON.stringify(run.usage) : "none"}</dd>
            </dl>
            {!terminal.has(run.status) ? <button type="button" class="cancel" onClick={cancel}>Cancel run</button> : null}
            <ErrorBox error={cancelError} />
            {run.status === "pending_approval" && run.approval ? (
              <Section title="Approval"><ApprovalPanel run={run} onDecided={reload} /></Section>
            ) : null}
            <Section title="Input">
              <p class="task">{run.input.task}</p>
              <Json value={run.input.context} />
            </Section>
            <Section title="Result"><ResultView run={run} /></Section>
            <Section title={`Events (${state})`}>
              <EventList events={events} />
            </Section>
            {run.routing ? <Section title="Routing"><RoutingView routing={run.routing} /></Section> : null}
            {run.approval && run.status !== "pending_approval" ? <Section title="Approval"><Json value={run.approval} /></Section> : null}
            {run.webhook_url ? <Section title="Webhook deliveries"><WebhookDeliveries id={run.run_id} /></Section> : null}
            <Section title="Audit">
              <ErrorBox error={audit.error} />
              {audit.data?.entries.length === 0 ? <p class="muted">No one has acted on this run.</p> : null}
              <table class="audit">
                <tbody>
                  {audit.data?.entries.map((entry) => (
                    <tr><td><Time value={entry.at} /></td><td>{entry.action}</td><td>{entry.actor}</td><td>{entry.detail}</td></tr>
                  ))}
                </tbody>
              </table>
            </Section>
          </>
        ) : null}
      </Loading>
    </>
  );
}
