// Calls to the host the console is served by. Paths are relative to the
// folder /console is served from, so the console works behind a proxy that
// adds a prefix. Errors arrive in the host's one envelope and are thrown as
// ApiError; a 401 also tells the shell to ask for a key.
import { apiKey } from "./auth";

export interface ErrorEnvelope {
  error: string;
  message: string;
  request_id?: string;
  details?: { field?: string; message?: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const base = location.pathname.replace(/console\/?$/, "");
let onUnauthenticated: () => void = () => {};

export function whenUnauthenticated(callback: () => void): void {
  onUnauthenticated = callback;
}

export function apiUrl(path: string): string {
  return base + path.replace(/^\//, "");
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey();
  return key ? { ...extra, Authorization: "Bearer " + key } : extra;
}

async function failure(response: Response): Promise<ApiError> {
  let envelope: Partial<ErrorEnvelope> = {};
  try {
    envelope = (await response.json()) as ErrorEnvelope;
  } catch {
    // Not the envelope (a proxy's page): the status says enough.
  }
  if (response.status === 401) onUnauthenticated();
  return new ApiError(response.status, envelope.error ?? "HTTP " + response.status, envelope.message ?? response.statusText);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(apiUrl(path), {
    method,
    headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const get = <T>(path: string) => request<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});

export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

// Server-sent events read with fetch: EventSource cannot send the
// Authorization header, and the host takes credentials only from headers.
// Calls `onMessage` per frame until the stream ends or `signal` aborts.
export async function streamEvents(
  method: "GET" | "POST",
  path: string,
  options: { body?: unknown; lastEventId?: string; signal?: AbortSignal },
  onMessage: (message: SseMessage) => void,
): Promise<void> {
  const extra: Record<string, string> = { Accept: "text/event-stream" };
  if (options.body !== undefined) extra["Content-Type"] = "application/json";
  if (options.lastEventId) extra["Last-Event-ID"] = options.lastEventId;
  const response = await fetch(apiUrl(path), {
    method,
    headers: headers(extra),
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    cache: "no-store",
  });
  if (!response.ok) throw await failure(response);
  if (!response.body) throw new ApiError(0, "NoBody", "the stream has no body");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let message: SseMessage = { id: "", event: "message", data: "" };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        if (message.data !== "" || message.event !== "message") onMessage(message);
        message = { id: message.id, event: "message", data: "" };
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") message.data += (message.data ? "\n" : "") + text;
      else if (field === "event") message.event = text;
      else if (field === "id") message.id = text;
    }
  }
}
