// Fields for an agent's input schema (the `context` of a run): an enum is a
// select, a boolean a checkbox, a number a number field, a string a text
// field; anything else (objects, arrays, untyped) is JSON typed by hand.
// Required fields are marked; descriptions are shown under their field.
import type { JsonSchema } from "../types";

export type FormValues = Record<string, string | boolean>;

function kind(schema: JsonSchema): "enum" | "boolean" | "number" | "string" | "json" {
  if (schema.enum) return "enum";
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "boolean") return "boolean";
  if (type === "integer" || type === "number") return "number";
  if (type === "string") return "string";
  return "json";
}

// The context object the values describe; throws on a JSON field that does not parse.
export function contextOf(schema: JsonSchema | undefined, values: FormValues): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    const value = values[name];
    if (value === undefined || value === "") continue;
    switch (kind(property)) {
      case "boolean":
        if (value === true) context[name] = true;
        break;
      case "number":
        context[name] = Number(value);
        break;
      case "enum":
        context[name] = JSON.parse(String(value));
        break;
      case "string":
        context[name] = value;
        break;
      case "json":
        try {
          context[name] = JSON.parse(String(value));
        } catch {
          throw new Error(`${name} must be JSON`);
        }
    }
  }
  return context;
}

export function SchemaForm(props: { schema: JsonSchema | undefined; values: FormValues; onChange: (values: FormValues) => void }) {
  const properties = Object.entries(props.schema?.properties ?? {});
  const required = new Set(props.schema?.required ?? []);
  if (properties.length === 0) return <p class="muted">This agent's input schema names no fields: the task is all it reads.</p>;
  const set = (name: string, value: string | boolean) => props.onChange({ ...props.values, [name]: value });
  return (
    <div class="schema-form">
      {properties.map(([name, property]) => {
        const id = "field-" + name;
        const value = props.values[name];
        const label = (
          <label for={id}>
            {name}
            {required.has(name) ? <abbr title="required"> *</abbr> : null}
          </label>
        );
        let input;
        switch (kind(property)) {
          case "enum":
            input = (
              <select id={id} name={name} required={required.has(name)} value={String(value ?? "")}
                onChange={(e) => set(name, (e.target as HTMLSelectElement).value)}>
                <option value="">—</option>
                {(property.enum ?? []).map((option) => (
                  <option value={JSON.stringify(option)}>{String(option)}</option>
                ))}
              </select>
            );
            break;
          case "boolean":
            input = <input id={id} name={name} type="checkbox" checked={value === true}
              onChange={(e) => set(name, (e.target as HTMLInputElement).checked)} />;
            break;
          case "number":
            input = <input id={id} name={name} type="number" required={required.has(name)} min={property.minimum}
              max={property.maximum} step={property.type === "integer" ? 1 : "any"} value={String(value ?? "")}
              onInput={(e) => set(name, (e.target as HTMLInputElement).value)} />;
            break;
          case "string":
            input = <textarea id={id} name={name} rows={2} required={required.has(name)} minLength={property.minLength}
              maxLength={property.maxLength} value={String(value ?? "")}
              onInput={(e) => set(name, (e.target as HTMLTextAreaElement).value)} />;
            break;
          default:
            input = <textarea id={id} name={name} rows={3} class="mono" placeholder="JSON" value={String(value ?? "")}
              onInput={(e) => set(name, (e.target as HTMLTextAreaElement).value)} />;
        }
        return (
          <div class="field">
            {label}
            {input}
            {property.description ? <small>{property.description}</small> : null}
          </div>
        );
      })}
    </div>
  );
}
