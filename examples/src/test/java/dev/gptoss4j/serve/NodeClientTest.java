package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gptoss4j.serve.openai.ApiSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm package against the server. The package is installed into
 * {@code target/node-client} on first use (npm needs the registry then); the test is skipped only when node or npm
 * is missing, never when the install fails.
 */
class NodeClientTest {

    private static final Path DIR = Path.of("target", "node-client").toAbsolutePath();
    private static final String PACKAGE = "openai@5";

    record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> env, long seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null; // the program is not installed
        }
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + seconds + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean available(String program) throws Exception {
        Result r = run(List.of(program, "--version"), Map.of(), 30);
        return r != null && r.exit() == 0;
    }

    @Test
    void officialOpenAiNodeClientWorks() throws Exception {
        Files.createDirectories(DIR);
        assumeTrue(
                available("node") && available("npm"),
                "node and npm are not installed: the openai npm client test is skipped");
        if (!Files.isRegularFile(DIR.resolve("node_modules/openai/package.json"))) {
            Result install = run(
                    List.of("npm", "install", PACKAGE, "--no-audit", "--no-fund", "--no-save", "--loglevel=error"),
                    Map.of(),
                    300);
            assertEquals(0, install.exit(), "npm install " + PACKAGE + " failed in " + DIR + ":\n" + install.output());
        }
        try (InputStream script = NodeClientTest.class.getResourceAsStream("/node/openai-client.mjs")) {
            Files.copy(script, DIR.resolve("openai-client.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
        ScriptedBackend backend = new ScriptedBackend(Scripts::weather, 0);
        try (OpenAiServer server = OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .apiKey("node-key")
                .settings(ApiSettings.defaults("gpt-oss-test"))
                .build()
                .start()) {
            Result r = run(
                    List.of("node", "openai-client.mjs"),
                    Map.of("GPTOSS_BASE_URL", server.baseUrl(), "GPTOSS_API_KEY", "node-key"),
                    120);
            assertEquals(0, r.exit(), "the node client failed:\n" + r.output());
            assertTrue(r.output().contains("all checks passed"), r.output());
        }
    }
}
