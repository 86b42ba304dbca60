package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.Fixtures;
import dev.gptoss4j.engine.GptOss;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine embedded in a JVM started without {@code --add-modules jdk.incubator.vector}: a real child JVM. */
class VectorModuleTest {

    /** The child: loads a model and generates, as an embedding application would. */
    public static void main(String[] args) {
        try (GptOss model = GptOss.load(Path.of(args[0]))) {
            System.out.println("loaded " + model.config());
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }

    private static Process child(Path model, String... jvmFlags) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), VectorModuleTest.class.getName(), model.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        return out;
    }

    @Test
    void withoutTheModuleLoadingSaysExactlyWhatToAdd() throws Exception {
        Process p = child(Fixtures.ggufF32());
        String out = output(p);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("add --add-modules jdk.incubator.vector to the java command line"), out);
        assertTrue(!out.contains("NoClassDefFoundError"), out);
    }

    @Test
    void withTheModuleTheSameProgramLoadsTheModel() throws Exception {
        Process p = child(
                Fixtures.ggufF32(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");
        String out = output(p);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("loaded "), out);
        assertTrue(VectorModule.isLoaded(), "this test JVM runs with the module (surefire's argLine)");
    }
}
