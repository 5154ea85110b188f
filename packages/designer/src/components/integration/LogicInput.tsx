import { logicText, textLogic } from '../../model/integration-edits';
import { useTyped } from '../use-typed';

/** One line of json-logic: a variable as its path (`$body.orderNo`), anything else as JSON. */
export function LogicInput(props: {
  name: string;
  label: string;
  placeholder?: string;
  value: unknown;
  onChange(value: unknown): void;
}) {
  const [text, setText] = useTyped(props.value, logicText, textLogic);
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
