// The host's health (GET /health, open without a key), refreshed every few seconds.
import { get } from "../api";
import { ErrorBox, Loading, Status } from "../components/common";
import { useLoad } from "../hooks";
import type { Health } from "../types";

export function HealthPage() {
  const { data, error } = useLoad(() => get<Health>("/health"), [], 5000);
  return (
    <>
      <h1>Health</h1>
      <ErrorBox error={error} />
      <Loading when={data}>
        {data ? (
          <>
            <p class="health-status">
              <Status value={data.status} /> version {data.version}
              {data.uptime_seconds !== undefined ? `, up ${Math.round(data.uptime_seconds)} s` : ""}
            </p>
            <table class="health">
              <thead><tr><th>Part</th><th>Status</th><th>Details</th></tr></thead>
              <tbody>
                {Object.entries(data.components).map(([name, part]) => {
                  const { status, ...rest } = part;
                  return (
                    <tr data-component={name}>
                      <td>{name}</td>
                      <td><Status value={String(status ?? "")} /></td>
                      <td>{Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ")}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        ) : null}
      </Loading>
    </>
  );
}
