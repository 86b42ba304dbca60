package dev.gptoss4j.engine.harmony;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema to the TypeScript-like text gpt-oss was trained on ({@code (_: { location: string, ... }) => any}).
 * The output must match openai/harmony character for character, quirks included (e.g. {@code anyOf} renders as
 * {@code any}, a string default of an enum is not quoted inside a property's {@code oneOf}), because the model saw
 * exactly that text in training.
 */
final class SchemaTypeScript {

    private SchemaTypeScript() {}

    static String render(JsonNode schema) {
        return render(schema, "");
    }

    static String render(JsonNode schema, String indent) {
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null && oneOf.isArray()) {
            StringBuilder out = new StringBuilder();
            for (JsonNode variant : oneOf) {
                out.append('\n').append(indent).append(" | ");
                out.append(withNullable(variant, render(variant, indent + "   ")));
                List<String> comments = new ArrayList<>();
                JsonNode desc = variant.get("description");
                if (desc != null && desc.isTextual()) comments.add(desc.textValue());
                JsonNode def = variant.get("default");
                if (def != null) {
                    comments.add(
                            def.isTextual() && !isEnum(variant)
                                    ? "default: \"" + def.textValue() + "\""
                                    : "default: " + display(def));
                }
                if (!comments.isEmpty()) out.append(" // ").append(String.join(" ", comments));
            }
            return out.toString();
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode t : type) {
                if (t.isTextual()) names.add(t.textValue().equals("integer") ? "number" : t.textValue());
            }
            if (!names.isEmpty()) return String.join(" | ", names);
        }
        if (type != null && type.isTextual()) {
            return switch (type.textValue()) {
                case "object" -> object(schema, indent);
                case "string" -> {
                    JsonNode en = schema.get("enum");
                    if (en != null && en.isArray()) {
                        List<String> values = new ArrayList<>();
                        for (JsonNode v : en) {
                            if (v.isTextual()) values.add("\"" + v.textValue() + "\"");
                        }
                        if (!values.isEmpty()) yield String.join(" | ", values);
                    }
                    yield "string";
                }
                case "number", "integer" -> "number";
                case "boolean" -> "boolean";
                case "array" -> {
                    JsonNode items = schema.get("items");
                    yield items != null ? render(items, indent) + "[]" : "Array<any>";
                }
                default -> "any";
            };
        }
        return "any";
    }

    private static String object(JsonNode schema, String indent) {
        StringBuilder out = new StringBuilder();
        JsonNode desc = schema.get("description");
        if (desc != null && desc.isTextual())
            out.append(indent).append("// ").append(desc.textValue()).append('\n');
        out.append("{\n");
        JsonNode props = schema.get("properties");
        if (props != null && props.isObject()) {
            Set<String> required = new HashSet<>();
            JsonNode req = schema.get("required");
            if (req != null && req.isArray()) {
                for (JsonNode r : req) if (r.isTextual()) required.add(r.textValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                property(out, e.getKey(), e.getValue(), required.contains(e.getKey()), indent);
            }
        }
        out.append(indent).append('}');
        return out.toString();
    }

    private static void property(StringBuilder out, String key, JsonNode val, boolean required, String indent) {
        String optional = required ? "" : "?";
        JsonNode title = val.get("title");
        if (title != null && title.isTextual()) {
            out.append(indent)
                    .append("// ")
                    .append(title.textValue())
                    .append('\n')
                    .append(indent)
                    .append("//\n");
        }
        JsonNode oneOf = val.get("oneOf");
        JsonNode desc = val.get("description");
        if (oneOf == null && desc != null && desc.isTextual()) {
            out.append(indent).append("// ").append(desc.textValue()).append('\n');
        }
        JsonNode examples = val.get("examples");
        if (examples != null && examples.isArray() && !examples.isEmpty()) {
            out.append(indent).append("// Examples:\n");
            for (JsonNode ex : examples) {
                if (ex.isTextual())
                    out.append(indent).append("// - \"").append(ex.textValue()).append("\"\n");
            }
        }
        if (oneOf != null && oneOf.isArray()) {
            String propertyDesc = desc != null && desc.isTextual() ? desc.textValue() : null;
            boolean skipPropertyDesc = false;
            if (propertyDesc != null && !oneOf.isEmpty()) {
                JsonNode firstDesc = oneOf.get(0).get("description");
                skipPropertyDesc =
                        firstDesc != null && firstDesc.isTextual() && propertyDesc.equals(firstDesc.textValue());
            }
            boolean descAbove = false;
            if (!skipPropertyDesc && propertyDesc != null) {
                out.append(indent).append("// ").append(propertyDesc).append('\n');
                descAbove = true;
            }
            JsonNode def = val.get("default");
            if (def != null)
                out.append(indent)
                        .append("// ")
                        .append(defaultComment(def, val))
                        .append('\n');
            out.append(indent).append(key).append(optional).append(":\n");
            int i = 0;
            for (JsonNode variant : oneOf) {
                out.append(indent).append(" | ").append(withNullable(variant, render(variant, indent + "   ")));
                List<String> comments = new ArrayList<>();
                JsonNode vdesc = variant.get("description");
                if (!(i == 0 && descAbove)
                        && vdesc != null
                        && vdesc.isTextual()
                        && !vdesc.textValue().equals(propertyDesc)) {
                    comments.add(vdesc.textValue());
                }
                JsonNode vdef = variant.get("default");
                if (vdef != null) comments.add(defaultComment(vdef, variant));
                if (!comments.isEmpty()) out.append(" // ").append(String.join(" ", comments));
                out.append('\n');
                i++;
            }
            out.append(indent).append(",\n");
            return;
        }
        out.append(indent).append(key).append(optional).append(": ");
        out.append(withNullable(val, render(val, indent + "    ")));
        out.append(',');
        JsonNode def = val.get("default");
        if (oneOf == null && def != null) out.append(" // ").append(defaultComment(def, val));
        out.append('\n');
    }

    /** {@code default: "x"} for a string, {@code default: x} for a string of an enum, JSON otherwise. */
    private static String defaultComment(JsonNode def, JsonNode owner) {
        if (def.isTextual()) {
            return isEnum(owner) ? "default: " + def.textValue() : "default: \"" + def.textValue() + "\"";
        }
        return "default: " + display(def);
    }

    private static String withNullable(JsonNode schema, String type) {
        JsonNode nullable = schema.get("nullable");
        if (nullable != null && nullable.isBoolean() && nullable.booleanValue() && !type.contains("null")) {
            return type + " | null";
        }
        return type;
    }

    private static boolean isEnum(JsonNode schema) {
        JsonNode en = schema.get("enum");
        return en != null && en.isArray() && !en.isEmpty();
    }

    /** Compact JSON, as serde_json's Display writes a value. */
    private static String display(JsonNode value) {
        return value.toString();
    }
}
