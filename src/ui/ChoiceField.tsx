import type { ReactNode } from 'react';

/** One entry of an option list: an id, and a label when it should read otherwise. */
export type Choice<T extends string> = T | { id: T; label: string };

interface Props<T extends string> {
  label: ReactNode;
  /** The select's accessible name (tests and screen readers find it by this). */
  name: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (id: T) => void;
}

/** A labelled select over one of the option registries (lenses, clusterers, metrics, cloud methods). */
export function ChoiceField<T extends string>({ label, name, value, choices, onChange }: Props<T>) {
  return (
    <label className="field">
      <span>{label}</span>
      <select aria-label={name} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {choices.map((c) => {
          const { id, label: text } = typeof c === 'string' ? { id: c, label: c } : c;
          return (
            <option key={id} value={id}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}
