import { useEffect, useState } from 'react';
import { logicText, textLogic } from '../../model/integration-edits';

/**
 * One line of json-logic: a variable as its path (`$body.orderNo`), anything else as JSON. The
 * text as typed stays while it means the value it emitted.
 */
export function LogicInput(props: {
  name: string;
  label: string;
  placeholder?: string;
  value: unknown;
  onChange(value: unknown): void;
}) {
  const incoming = JSON.stringify(props.value ?? null);
  const [text, setText] = useState(logicText(props.value));
  useEffect(() => {
    setText((typed) =>
      JSON.stringify(textLogic(typed) ?? null) === incoming ? typed : logicText(props.value),
    );
    // props.value is what `incoming` says.
  }, [incoming]);
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        placeholder={props.placeholder}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(textLogic(e.target.value));
        }}
      />
    </label>
  );
}
