package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.output.structured.Description;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON Schema of a Java type, for typed answers: records (every component required), classes with fields (all
 * but {@code Optional} ones required), enums, strings, numbers, booleans, arrays and collections, maps, and types
 * that refer to themselves ({@code $defs}/{@code $ref}). LangChain4j's {@code @Description} on a type, component
 * or field becomes the {@code description}. Our own code: LangChain4j's generator is in its {@code internal}
 * package, which is not its API.
 */
final class TypeSchema {

    private final Deque<Class<?>> building = new ArrayDeque<>();
    private final Set<Class<?>> recursive = new HashSet<>();
    private final Map<String, ObjectNode> definitions = new LinkedHashMap<>();

    private TypeSchema() {}

    static ObjectNode of(Class<?> type) {
        TypeSchema generator = new TypeSchema();
        ObjectNode root = generator.schema(type);
        if (!generator.definitions.isEmpty()) {
            ObjectNode defs =
                    root.has("$ref") ? generator.definitions.get(name(type)).deepCopy() : root;
            defs.putObject("$defs").setAll(generator.definitions);
            return defs;
        }
        return root;
    }

    private ObjectNode schema(Type type) {
        if (type instanceof ParameterizedType p) return parameterized(p);
        if (type instanceof GenericArrayType g) return array(g.getGenericComponentType());
        if (type instanceof WildcardType w) return schema(w.getUpperBounds()[0]);
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException(
                    "cannot describe the type variable " + type + " as JSON Schema;" + " use a concrete type");
        }
        if (c == String.class
                || c == char.class
                || c == Character.class
                || c == UUID.class
                || Temporal.class.isAssignableFrom(c)
                || c == java.net.URI.class
                || c == java.nio.file.Path.class) {
            return simple("string", c);
        }
        if (c == boolean.class || c == Boolean.class) return simple("boolean", c);
        if (c == int.class
                || c == long.class
                || c == short.class
                || c == byte.class
                || c == Integer.class
                || c == Long.class
                || c == Short.class
                || c == Byte.class
                || c == BigInteger.class) {
            return simple("integer", c);
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class) {
            return simple("number", c);
        }
        if (c.isEnum()) {
            ObjectNode n = simple("string", c);
            ArrayNode values = n.putArray("enum");
            for (Object constant : c.getEnumConstants()) values.add(((Enum<?>) constant).name());
            return n;
        }
        if (c.isArray()) return array(c.getComponentType());
        if (Collection.class.isAssignableFrom(c)) return array(Object.class);
        if (Map.class.isAssignableFrom(c)) return simple("object", c);
        if (c == Object.class) return Schemas.JSON.createObjectNode();
        if (c.isPrimitive() || c.getName().startsWith("java.") || c.getName().startsWith("javax.")) {
            throw new IllegalArgumentException("cannot describe " + c.getName() + " as JSON Schema; use a record,"
                    + " an enum, a String, a number, a boolean, a List or a Map");
        }
        return object(c);
    }

    private ObjectNode parameterized(ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (Collection.class.isAssignableFrom(raw)) return array(args[0]);
        if (Optional.class == raw) return schema(args[0]);
        if (Map.class.isAssignableFrom(raw)) {
            ObjectNode n = simple("object", raw);
            n.set("additionalProperties", schema(args[1]));
            return n;
        }
        return schema(raw);
    }

    private ObjectNode array(Type items) {
        ObjectNode n = Schemas.JSON.createObjectNode();
        n.put("type", "array");
        n.set("items", schema(items));
        return n;
    }

    private ObjectNode object(Class<?> c) {
        if (building.contains(c)) {
            recursive.add(c);
            return reference(c);
        }
        building.push(c);
        ObjectNode n = simple("object", c);
        ObjectNode properties = n.putObject("properties");
        ArrayNode required = n.putArray("required");
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                // @Description targets fields and types: on a component, javac puts it on the component's field
                property(properties, required, rc.getName(), rc.getGenericType(), field(c, rc.getName()));
            }
        } else {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())
                            || Modifier.isTransient(f.getModifiers())
                            || f.isSynthetic()) {
                        continue;
                    }
                    property(properties, required, f.getName(), f.getGenericType(), f);
                }
            }
        }
        building.pop();
        if (recursive.contains(c)) {
            definitions.put(name(c), n);
            return reference(c);
        }
        return n;
    }

    private void property(ObjectNode properties, ArrayNode required, String name, Type type, AnnotatedElement on) {
        ObjectNode schema = schema(type);
        Description d = on.getAnnotation(Description.class);
        if (d != null && !schema.has("$ref")) schema.put("description", String.join(" ", d.value()));
        properties.set(name, schema);
        boolean optional = type instanceof ParameterizedType p && p.getRawType() == Optional.class;
        if (!optional) required.add(name);
    }

    private static Field field(Class<?> record, String name) {
        try {
            return record.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("record " + record.getName() + " has no field for component " + name, e);
        }
    }

    private static ObjectNode simple(String type, Class<?> c) {
        ObjectNode n = Schemas.JSON.createObjectNode();
        n.put("type", type);
        Description d = c.getAnnotation(Description.class);
        if (d != null) n.put("description", String.join(" ", d.value()));
        return n;
    }

    private static ObjectNode reference(Class<?> c) {
        ObjectNode n = Schemas.JSON.createObjectNode();
        n.put("$ref", "#/$defs/" + name(c));
        return n;
    }

    private static String name(Class<?> c) {
        return c.getName().substring(c.getName().lastIndexOf('.') + 1).replace('$', '.');
    }
}
