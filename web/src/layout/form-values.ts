/**
 * The values of a dialog's form: `text(key)` is the change handler of a text field, `reset()` starts over.
 * The handler reads the field's value at once, because React clears the event's currentTarget before a
 * state updater runs.
 */
import { useState } from 'react';

export function useFormValues<Values extends object>(initial: Values) {
  const [values, setValues] = useState(initial);
  const text = (key: keyof Values) => (event: { currentTarget: { value: string } }) => {
    const { value } = event.currentTarget;
    setValues((current) => ({ ...current, [key]: value }));
  };
  return { values, setValues, text, reset: () => setValues(initial) };
}
