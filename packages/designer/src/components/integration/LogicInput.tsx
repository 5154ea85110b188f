import { Input } from 'antd';
import { logicText, textLogic } from '../../model/integration-edits';
import { Field, fieldId } from '../TextField';
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
    <Field label={props.label} htmlFor={fieldId(props.name)}>
      <Input
        id={fieldId(props.name)}
        name={props.name}
        placeholder={props.placeholder}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(textLogic(e.target.value));
        }}
      />
    </Field>
  );
}
