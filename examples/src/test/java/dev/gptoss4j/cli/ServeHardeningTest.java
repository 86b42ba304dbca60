package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Attacks on {@code gptoss serve} itself: keys that are not keys, and clients that never finish a request. */
class ServeHardeningTest {

    @TempDir
    Path dir;

    @Test
    void aBlankKeyIsRefusedInsteadOfTurningAuthenticationOff() throws Exception {
        Path replay = Files.writeString(dir.resolve("r.txt"), "<|channel|>final<|message|>hi<|return|>\n");
        CliRun.Outcome blank = CliRun.run("serve", "--backend", "replay:" + replay, "--port", "0", "--api-key", " ");
        assertEquals(1, blank.code());
        assertTrue(
                blank.err().contains("--api-key is set but blank")
                        && blank.err().contains("--no-auth"),
                blank.err());
        assertFalse(blank.out().contains("http://"), "no server started: " + blank.out());

        CommandLine cli = Main.commandLine();
        ((ServeCommand) cli.getSubcommands().get("serve").getCommand()).environment = name -> "";
        CliRun.Outcome blankEnv = CliRun.run(cli, "serve", "--backend", "replay:" + replay, "--port", "0");
        assertEquals(1, blankEnv.code());
        assertTrue(blankEnv.err().contains("GPTOSS_API_KEY is set but blank"), blankEnv.err());

        CliRun.Outcome open = CliRun.run("serve", "--backend", "replay:" + replay, "--port", "0", "--host", "0.0.0.0");
        assertEquals(1, open.code(), "no key on an address other machines reach needs --no-auth");
        assertTrue(open.err().contains("no API key for --host 0.0.0.0"), open.err());

        CliRun.Outcome both = CliRun.run("serve", "--backend", "replay:" + replay, "--no-auth", "--api-key", "k");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("contradict"), both.err());
    }

    /**
     * Slow and silent clients are cut off after {@code --request-timeout}. The JDK server reads that limit once per
     * process, so this runs the real CLI in a JVM of its own with a 2 s limit.
     */
    @Test
    void slowAndSilentClientsAreDisconnectedAfterTheRequestTimeout() throws Exception {
        Path replay = Files.writeString(dir.resolve("r.txt"), "<|channel|>final<|message|>hi<|return|>\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(
                        java.toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve",
                        "--backend",
                        "replay:" + replay,
                        "--port",
                        "0",
                        "--request-timeout",
                        "2")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String banner = out.readLine();
            assertNotNull(banner, "the server printed nothing");
            assertTrue(banner.contains("no authentication"), banner);
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/v1").matcher(banner);
            assertTrue(m.find(), banner);
            int port = Integer.parseInt(m.group(1));

            // silent: connects and sends nothing
            assertClosedWithin(port, List.of(), 0, 9);
            // slowloris: headers one line every 500 ms, never ending them
            assertClosedWithin(
                    port,
                    List.of(
                            "GET /v1/models HTTP/1.1\r\nHost: x\r\n",
                            "X-A: 1\r\n",
                            "X-B: 2\r\n",
                            "X-C: 3\r\n",
                            "X-D: 4\r\n",
                            "X-E: 5\r\n",
                            "X-F: 6\r\n",
                            "X-G: 7\r\n",
                            "X-H: 8\r\n",
                            "X-I: 9\r\n",
                            "X-J: 10\r\n",
                            "X-K: 11\r\n",
                            "X-L: 12\r\n",
                            "X-M: 13\r\n",
                            "X-N: 14\r\n",
                            "X-O: 15\r\n"),
                    500,
                    9);
            // a body announced but trickled a byte at a time
            List<String> trickle = new java.util.ArrayList<>(List.of("POST /v1/chat/completions HTTP/1.1\r\nHost: x"
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"));
            for (int i = 0; i < 30; i++) trickle.add(" ");
            assertClosedWithin(port, trickle, 400, 9);

            // and an honest client is still served
            HttpResponse<String> models = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, models.statusCode(), models.body());
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    /** Sends {@code parts} with {@code pauseMillis} between them; the server must close within {@code seconds}. */
    private static void assertClosedWithin(int port, List<String> parts, long pauseMillis, int seconds)
            throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            int next = 0;
            while (true) {
                long elapsed = System.nanoTime() - start;
                assertTrue(
                        elapsed < TimeUnit.SECONDS.toNanos(seconds),
                        "the server kept a slow client for " + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms");
                if (next < parts.size()) {
                    try {
                        out.write(parts.get(next++).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (java.io.IOException e) {
                        return; // closed by the server: a write after its close fails
                    }
                }
                try {
                    int b = in.read();
                    if (b < 0) return; // closed by the server
                    // a response (an error for the half request) is fine too, as long as the connection ends
                } catch (SocketTimeoutException e) {
                    // nothing yet
                } catch (java.io.IOException e) {
                    return; // reset by the server
                }
                if (pauseMillis > 200) Thread.sleep(pauseMillis - 200);
            }
        }
    }
}
