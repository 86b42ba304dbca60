package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @TempDir Path dir;

    @Test
    void servesAReplayFileUntilInterrupted() throws Exception {
        Path replay = Files.writeString(dir.resolve("hello.txt"), "<|channel|>final<|message|>Hi from replay.<|return|>\n");
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().start(() -> exit.set(cli.execute("serve", "--backend", "replay:" + replay,
                "--port", "0", "--api-key", "k1")));
        Matcher m = Pattern.compile("(http://\\S+/v1)").matcher("");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!m.reset(out.toString()).find() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(m.reset(out.toString()).find(), "no address printed: " + out);
        String base = m.group(1);
        assertTrue(base.startsWith("http://127.0.0.1:"), "loopback by default: " + base);
        assertTrue(out.toString().contains("'gpt-oss-replay'") && out.toString().contains("API key required"), out.toString());

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("Authorization", "Bearer k1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Hi from replay.", new ObjectMapper().readTree(r.body()).at("/choices/0/message/content").asText());

        server.interrupt();
        server.join(10_000);
        assertEquals(0, exit.get());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute("serve"));
        assertTrue(err.toString().contains("no model: give --model PATH or --backend replay:FILE"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, cli.execute("serve", "--backend", "replay:" + dir.resolve("missing.txt")));
        assertTrue(err.toString().contains("replay file") && err.toString().contains("not found"), err.toString());
    }
}
