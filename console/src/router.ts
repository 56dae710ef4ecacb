// Hash routes (#/runs/abc?status=failed): the page is one static file, and
// the fragment never reaches the server or its logs.
import { useEffect, useState } from "preact/hooks";

export interface Route {
  parts: string[];
  query: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search] = hash.split("?", 2);
  return { parts: path ? path.split("/").map(decodeURIComponent) : [], query: new URLSearchParams(search ?? "") };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function link(parts: string[], query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "")).toString() : "";
  return "#/" + parts.map(encodeURIComponent).join("/") + (search ? "?" + search : "");
}
