// Small pieces every page uses.
import type { ComponentChildren } from "preact";

export function Status({ value }: { value: string }) {
  return <span class={"status status-" + value.replace(/[^a-z_]/g, "")}>{value}</span>;
}

export function ErrorBox({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const type = (error as { type?: string }).type;
  return (
    <p class="error" role="alert">
      {type ? <strong>{type}: </strong> : null}
      {error.message}
    </p>
  );
}

export function Loading({ when, children }: { when: unknown; children: ComponentChildren }) {
  return when === undefined ? <p class="muted">Loading…</p> : <>{children}</>;
}

export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">—</span>;
  return <time dateTime={value}>{new Date(value).toLocaleString()}</time>;
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
