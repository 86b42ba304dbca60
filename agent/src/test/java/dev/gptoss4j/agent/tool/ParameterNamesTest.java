package dev.gptoss4j.agent.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.backend.ReplayBackend;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @Tool} classes compiled without {@code -parameters}, compiled for real by the JDK's compiler. */
class ParameterNamesTest {

    @TempDir
    Path dir;

    /** Compiles {@code source} (class {@code name}, default package) with {@code options} and returns an instance. */
    private Object compile(String name, String source, String... options) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".java"), source);
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        List<String> args = new java.util.ArrayList<>(
                List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none"));
        args.addAll(List.of(options));
        args.add(file.toString());
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "javac failed");
        URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass(name).getConstructor().newInstance();
    }

    private static final String WEATHER = """
            import dev.langchain4j.agent.tool.Tool;
            public class Weather {
                @Tool("Current weather in a city")
                public String weather(String city, int days) { return city + days; }
            }
            """;

    @Test
    void withoutParameterNamesTheAgentBuildFailsSayingHowToFixIt() throws Exception {
        Object tools = compile("Weather", WEATHER);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Agent.builder().backend(ReplayBackend.of()).tools(tools).build());
        assertTrue(
                e.getMessage()
                        .startsWith("@Tool method Weather.weather: the class was compiled without parameter"
                                + " names (the model would be told \"arg0\"); compile it with -parameters"),
                e.getMessage());
        assertTrue(e.getMessage().contains("@P(name = \"...\")"), e.getMessage());
    }

    @Test
    void withParametersTheRealNamesAreTheArguments() throws Exception {
        Tool tool = MethodTools.from(compile("Weather", WEATHER, "-parameters")).getFirst();
        assertEquals("[\"city\",\"days\"]", tool.parameters().get("required").toString());
    }

    @Test
    void pNamesAreEnoughWithoutParameters() throws Exception {
        Object tools = compile("Named", """
                import dev.langchain4j.agent.tool.P;
                import dev.langchain4j.agent.tool.Tool;
                public class Named {
                    @Tool("Current weather in a city")
                    public String weather(@P(name = "city", value = "the city") String c) { return "sunny in " + c; }
                }
                """);
        Tool tool = MethodTools.from(tools).getFirst();
        assertTrue(
                tool.parameters().at("/properties/city").isObject(),
                tool.parameters().toString());
        String call = "{\"city\":\"Oslo\"}";
        ToolResult r = tool.execute(new ToolArguments(call, Schemas.parse(call)));
        assertEquals("sunny in Oslo", r.text());
    }
}
