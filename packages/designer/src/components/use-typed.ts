import { useEffect, useState } from 'react';

/**
 * The text (or rows) a person is typing for a value: kept as typed while it still reads as the
 * value — "12." on its way to 12.50, a path half written — and replaced by `show(value)` when
 * the value changes elsewhere (another element selected, an undo, the JSON tab).
 */
export function useTyped<V, T>(
  value: V,
  show: (value: V) => T,
  read: (typed: T) => V,
): [T, (typed: T) => void] {
  const [typed, setTyped] = useState(() => show(value));
  const key = JSON.stringify(value ?? null);
  useEffect(() => {
    setTyped((current) => (JSON.stringify(read(current) ?? null) === key ? current : show(value)));
    // `value` is what `key` says; `show` and `read` are read at that moment.
  }, [key]);
  return [typed, setTyped];
}
