package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code @Tool}-annotated methods of an object into {@link Tool}s, with LangChain4j's annotations and
 * schema generation ({@code @Tool("description")}, {@code @P("parameter description")}).
 *
 * <p>Argument names are the Java parameter names, as LangChain4j writes them in the schema, or
 * {@code @P(name = "...")}. A class compiled without {@code -parameters} has no names ({@code arg0} instead), and
 * its tools are refused with a message that says how to fix it: the model would be told {@code arg0}, and every
 * call would fail.
 */
public final class MethodTools {

    private MethodTools() {}

    /** One tool per {@code @Tool} method of {@code target} (its class and superclasses), in namespace functions. */
    public static List<Tool> from(Object target) {
        if (target == null) throw new IllegalArgumentException("tool object must not be null");
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(dev.langchain4j.agent.tool.Tool.class)) requireParameterNames(m);
            }
        }
        List<ToolSpecification> specs = ToolSpecifications.toolSpecificationsFrom(target);
        ToolSpecifications.validateSpecifications(specs);
        List<Tool> tools = new ArrayList<>();
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(dev.langchain4j.agent.tool.Tool.class)) continue;
                ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(m);
                if (tools.stream().anyMatch(t -> t.name().equals(spec.name()))) continue; // overridden
                if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isPublic(c.getModifiers())) m.setAccessible(true);
                tools.add(new MethodTool(
                        target,
                        m,
                        spec.name(),
                        spec.description() == null ? "" : spec.description(),
                        Schemas.of(spec.parameters())));
            }
        }
        return List.copyOf(tools);
    }

    private static void requireParameterNames(Method m) {
        for (Parameter p : m.getParameters()) {
            if (p.isNamePresent() || p.isAnnotationPresent(ToolMemoryId.class) || !named(p).isEmpty()) continue;
            throw new IllegalArgumentException("@Tool method "
                    + m.getDeclaringClass().getName() + "." + m.getName()
                    + ": the class was compiled without parameter names (the model would be told \"" + p.getName()
                    + "\"); compile it with -parameters (Maven: <maven.compiler.parameters>true"
                    + "</maven.compiler.parameters>; Gradle: options.compilerArgs.add(\"-parameters\")), or name each"
                    + " parameter with @P(name = \"...\")");
        }
    }

    /** The name {@code @P(name = ...)} gives a parameter, or "". */
    private static String named(Parameter p) {
        P annotation = p.getAnnotation(P.class);
        return annotation == null ? "" : annotation.name().strip();
    }

    /** The argument's name in the model's JSON: {@code @P(name = ...)}, else the Java parameter name. */
    private static String argumentName(Parameter p) {
        String named = named(p);
        return named.isEmpty() ? p.getName() : named;
    }

    /** A tool backed by one method of one object. */
    private record MethodTool(Object target, Method method, String name, String description, JsonNode parameters)
            implements Tool {

        @Override
        public ToolResult execute(ToolArguments arguments) {
            Object[] values = new Object[method.getParameterCount()];
            Parameter[] params = method.getParameters();
            for (int i = 0; i < params.length; i++) {
                values[i] = argument(params[i], arguments.json());
            }
            Object out;
            try {
                out = method.invoke(target, values);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new ToolException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
            } catch (IllegalAccessException e) {
                throw new ToolException("cannot call " + method + ": " + e.getMessage(), e);
            }
            if (out == null) return ToolResult.of(method.getReturnType() == void.class ? "Success" : "null");
            return render(out);
        }

        private Object argument(Parameter p, JsonNode json) {
            if (p.isAnnotationPresent(ToolMemoryId.class)) return null;
            String argument = argumentName(p);
            JsonNode node = json == null ? null : json.get(argument);
            boolean required =
                    !p.isAnnotationPresent(P.class) || p.getAnnotation(P.class).required();
            if (node == null || node.isNull()) {
                if (p.getType().isPrimitive() || required) {
                    throw new ToolException("missing argument \"" + argument + "\" of " + name);
                }
                return null;
            }
            JavaType type = Schemas.JSON.getTypeFactory().constructType(p.getParameterizedType());
            try {
                return Schemas.JSON.convertValue(node, type);
            } catch (IllegalArgumentException e) {
                throw new ToolException(
                        "argument \"" + argument + "\" of " + name + " is not a "
                                + p.getType().getSimpleName() + ": " + node,
                        e);
            }
        }

        private static ToolResult render(Object out) {
            if (out instanceof ToolResult r) return r;
            if (out instanceof CharSequence s) return ToolResult.of(s.toString());
            try {
                return ToolResult.of(Schemas.JSON.writeValueAsString(out));
            } catch (JsonProcessingException e) {
                return ToolResult.of(String.valueOf(out));
            }
        }
    }
}
