// A run's event log, oldest first; LLM tokens are folded into one line.
import type { RunEvent } from "../types";

function summary(event: RunEvent): string {
  const data = event.data ?? {};
  for (const key of ["message", "text", "status", "reason", "path", "operation", "error"])
    if (typeof data[key] === "string") return data[key] as string;
  const text = JSON.stringify(data);
  return text === "{}" ? "" : text.length > 200 ? text.slice(0, 200) + "…" : text;
}

export function EventList({ events }: { events: RunEvent[] }) {
  return (
    <ol class="events" aria-label="events">
      {events.map((event) => (
        <li class="event" data-seq={event.seq} data-type={event.type}>
          <span class="seq">{event.seq}</span>
          <span class="type">{event.type}</span>
          <time class="muted" dateTime={event.ts}>{event.ts.slice(11, 23)}</time>
          <span class="summary">{summary(event)}</span>
        </li>
      ))}
    </ol>
  );
}
