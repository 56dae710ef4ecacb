// Loading state for one API read, optionally repeated (live pages).
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[], everyMs = 0): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      },
      (reason: Error) => {
        if (mine === generation.current) setError(reason);
      },
    );
  }, deps);
  useEffect(() => {
    setData(undefined);
    reload();
    if (!everyMs) return undefined;
    const timer = setInterval(reload, everyMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [reload, everyMs]);
  return { data, error, reload };
}
