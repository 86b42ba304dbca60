package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void servesAReplayFileUntilInterrupted() throws Exception {
        Path replay =
                Files.writeString(dir.resolve("hello.txt"), "<|channel|>final<|message|>Hi from replay.<|return|>\n");
        Serving serving = serve("--backend", "replay:" + replay, "--port", "0", "--api-key", "k1");
        StringWriter out = serving.out();
        String base = serving.base();
        assertTrue(base.startsWith("http://127.0.0.1:"), "loopback by default: " + base);
        assertTrue(
                out.toString().contains("'gpt-oss-replay'") && out.toString().contains("API key required"),
                out.toString());

        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                                .header("Authorization", "Bearer k1")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "Hi from replay.",
                new ObjectMapper()
                        .readTree(r.body())
                        .at("/choices/0/message/content")
                        .asText());

        serving.thread().interrupt();
        serving.thread().join(10_000);
        assertEquals(0, serving.exit().get());
    }

    record Serving(Thread thread, AtomicInteger exit, StringWriter out, String base) {}

    /** Starts {@code gptoss serve ARGS} on a thread and waits for the address it prints. */
    private static Serving serve(String... args) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        Thread server = Thread.ofPlatform().start(() -> exit.set(cli.execute(all)));
        Matcher m = Pattern.compile("(http://\\S+/v1)").matcher("");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!m.reset(out.toString()).find() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(m.reset(out.toString()).find(), "no address printed: " + out);
        return new Serving(server, exit, out, m.group(1));
    }

    @Test
    void builtInPythonRunsForRealOnTheServer() throws Exception {
        Serving serving = serve("--backend", "replay:replays/python.txt", "--port", "0", "--tools", "python");
        try {
            assertTrue(
                    serving.out().toString().contains("with built-in python"),
                    serving.out().toString());
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(serving.base() + "/responses"))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"input\": \"Sum the primes below 50.\", "
                                                    + "\"tools\": [{\"type\": \"code_interpreter\"}]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode output = new ObjectMapper().readTree(r.body()).get("output");
            JsonNode call = null;
            for (JsonNode item : output) if (item.get("type").asText().equals("code_interpreter_call")) call = item;
            assertTrue(call != null, output.toString());
            assertEquals("15 328", call.at("/outputs/0/logs").asText().strip(), "printed by the sandboxed GraalPy");
            assertEquals(
                    "There are 15 primes below 50, and they add up to 328.",
                    output.get(output.size() - 1).at("/content/0/text").asText());
        } finally {
            serving.thread().interrupt();
            serving.thread().join(10_000);
        }
        assertEquals(0, serving.exit().get());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = CliRun.offline(dir);
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute("serve"));
        assertTrue(err.toString().startsWith("gptoss serve: no local copy of openai/gpt-oss-20b"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, cli.execute("serve", "--backend", "replay:x", "--tools", "calculator"));
        assertTrue(
                err.toString()
                        .startsWith("gptoss serve: --tools: serve offers only the built-in tools python and "
                                + "browser, got 'calculator'"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, cli.execute("serve", "--backend", "replay:" + dir.resolve("missing.txt")));
        assertTrue(err.toString().contains("replay file") && err.toString().contains("not found"), err.toString());
    }
}
