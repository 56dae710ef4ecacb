// What a waiting run asks to do, and approve or reject it with a comment
// (POST /workflow/approve/{thread_id} for this run only).
import { useState } from "preact/hooks";
import { post } from "../api";
import type { Run } from "../types";
import { ErrorBox, Time } from "./common";

export function ApprovalPanel({ run, onDecided }: { run: Run; onDecided: () => void }) {
  const [comment, setComment] = useState("");
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const approval = run.approval ?? ({} as Record<string, unknown>);
  // The task is shown once, above; the rest is what the agent asked for.
  const { run_id: _run, state: _state, task: _task, expires_at, ...request } = approval as Record<string, unknown>;
  const decide = async (approved: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = { approved, run_id: run.run_id };
      if (comment.trim()) body.comment = comment.trim();
      await post("/workflow/approve/" + encodeURIComponent(run.thread_id), body);
      onDecided();
    } catch (reason) {
      setError(reason as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="approval" data-run={run.run_id}>
      <p>
        <strong>{run.agent}</strong> waits for approval
        {expires_at ? <> until <Time value={String(expires_at)} /></> : null}.
      </p>
      <dl class="facts">
        <dt>Task</dt><dd>{run.input.task}</dd>
        {Object.entries(request).map(([key, value]) => (
          <>
            <dt>{key}</dt>
            <dd>{typeof value === "string" ? value : <pre class="json">{JSON.stringify(value, null, 2)}</pre>}</dd>
          </>
        ))}
      </dl>
      <label class="block">Comment
        <textarea name="comment" rows={2} maxLength={4000} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="actions">
        <button type="button" class="approve" disabled={busy} onClick={() => decide(true)}>Approve</button>
        <button type="button" class="reject" disabled={busy} onClick={() => decide(false)}>Reject</button>
      </div>
      <ErrorBox error={error} />
    </div>
  );
}
