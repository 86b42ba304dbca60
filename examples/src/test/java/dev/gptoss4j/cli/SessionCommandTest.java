package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.cli.CliRun.Outcome;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --session}, {@code --approval-required}/{@code --approve}/{@code --deny} and {@code --trace} on the CLI. */
class SessionCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALCULATOR = "replays/calculator.txt";

    @Test
    void aCallAwaitingApprovalStopsTheProcessAndALaterOneApprovesIt(@TempDir Path dir) throws Exception {
        Path sessions = dir.resolve("sessions");
        Outcome first = run(
                "run",
                "--session",
                "calc",
                "--session-dir",
                sessions.toString(),
                "--approval-required",
                "functions.calculate",
                "--backend",
                "replay:" + CALCULATOR,
                "17*23+4?");
        assertEquals(7, first.code(), first.err());
        assertTrue(
                first.err().contains("functions.calculate {\"expression\":\"17 * 23 + 4\"} awaits approval"),
                first.err());
        JsonNode stored = JSON.readTree(Files.readString(sessions.resolve("calc.json")));
        assertEquals("functions.calculate", stored.at("/pending_call/recipient").asText());

        // another process: the replay goes on from its second completion, as the model would
        Path rest = dir.resolve("rest.txt");
        Files.writeString(rest, Files.readString(Path.of(CALCULATOR)).split("\n---\n")[1]);
        Outcome second = run(
                "run",
                "--json",
                "--session",
                "calc",
                "--session-dir",
                sessions.toString(),
                "--approve",
                "--backend",
                "replay:" + rest);
        assertEquals(0, second.code(), second.err());
        JsonNode report = JSON.readTree(second.out());
        assertEquals("17 × 23 + 4 = 395.", report.get("final").asText());
        assertEquals("395", report.at("/tool_calls/0/result").asText(), "the approved call ran for real");
        assertFalse(
                JSON.readTree(Files.readString(sessions.resolve("calc.json"))).has("pending_call"));
    }

    @Test
    void aDenialIsToldToTheModel(@TempDir Path dir) throws Exception {
        Path sessions = dir.resolve("s");
        run(
                "run",
                "--session",
                "c",
                "--session-dir",
                sessions.toString(),
                "--approval-required",
                "functions.calculate",
                "--backend",
                "replay:" + CALCULATOR,
                "17*23+4?");
        Path rest = dir.resolve("rest.txt");
        Files.writeString(rest, "<|channel|>final<|message|>I may not calculate.<|return|>");
        Outcome o = run(
                "run",
                "--json",
                "--session",
                "c",
                "--session-dir",
                sessions.toString(),
                "--deny",
                "no arithmetic today",
                "--backend",
                "replay:" + rest);
        assertEquals(0, o.code(), o.err());
        JsonNode call = JSON.readTree(o.out()).at("/tool_calls/0");
        assertEquals("denied", call.get("status").asText());
        assertTrue(call.get("result").asText().contains("no arithmetic today"));
    }

    @Test
    void decisionsNeedAWaitingSession(@TempDir Path dir) {
        Outcome noSession = run("run", "--approve", "--backend", "replay:" + CALCULATOR);
        assertEquals(1, noSession.code());
        assertTrue(noSession.err().contains("--session NAME"), noSession.err());
        Outcome nothingWaits = run(
                "run",
                "--session",
                "empty",
                "--session-dir",
                dir.toString(),
                "--approve",
                "--backend",
                "replay:" + CALCULATOR);
        assertEquals(1, nothingWaits.code());
        assertTrue(nothingWaits.err().contains("no session empty is stored"), nothingWaits.err());
        Outcome badName = run("run", "--session", "../x", "--backend", "replay:" + CALCULATOR, "hi");
        assertTrue(badName.err().contains("a session id is"), badName.err());
    }

    @Test
    void chatResumesAStoredSessionInANewProcess(@TempDir Path dir) throws Exception {
        Path replay = dir.resolve("chat.txt");
        Files.writeString(replay, "<|channel|>final<|message|>Noted: your name is Ada.<|return|>");
        Outcome first = chat(
                "My name is Ada.\n",
                "--session",
                "ada",
                "--session-dir",
                dir.toString(),
                "--backend",
                "replay:" + replay);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("new session ada"), first.err());

        Files.writeString(replay, "<|channel|>final<|message|>You are Ada.<|return|>");
        Path trace = dir.resolve("trace.jsonl");
        Outcome second = chat(
                "Who am I?\n",
                "--session",
                "ada",
                "--session-dir",
                dir.toString(),
                "--trace",
                trace.toString(),
                "--backend",
                "replay:" + replay);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("session ada: 4 messages (1 turn)"), second.err());
        assertEquals("You are Ada.", second.out().strip());
        JsonNode messages =
                JSON.readTree(Files.readString(dir.resolve("ada.json"))).at("/conversation/messages");
        assertEquals(6, messages.size(), "system, developer, two turns of user and answer");
        List<String> spans = Files.readAllLines(trace).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l).get("name").asText();
                    } catch (Exception e) {
                        throw new AssertionError(l);
                    }
                })
                .toList();
        assertEquals(List.of("chat", "invoke_agent agent"), spans);
    }

    @Test
    void chatRefusesASessionThatWaitsForApproval(@TempDir Path dir) {
        run(
                "run",
                "--session",
                "w",
                "--session-dir",
                dir.toString(),
                "--approval-required",
                "functions.calculate",
                "--backend",
                "replay:" + CALCULATOR,
                "17*23+4?");
        Outcome o =
                chat("Hello\n", "--session", "w", "--session-dir", dir.toString(), "--backend", "replay:" + CALCULATOR);
        assertEquals(1, o.code());
        assertTrue(o.err().contains("waits for a decision on its call to functions.calculate"), o.err());
    }

    @Test
    void runWritesItsTraceAsJsonLines(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.jsonl");
        Outcome o = run("run", "--trace", trace.toString(), "--backend", "replay:" + CALCULATOR, "17*23+4?");
        assertEquals(0, o.code(), o.err());
        List<JsonNode> spans = Files.readAllLines(trace).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
        assertEquals(
                List.of("chat", "execute_tool functions.calculate", "chat", "invoke_agent agent"),
                spans.stream().map(s -> s.get("name").asText()).toList());
        assertEquals(
                "{\"expression\":\"17 * 23 + 4\"}",
                spans.get(1).at("/attributes/gen_ai.tool.call.arguments").asText());
        assertEquals("ok", spans.get(1).at("/attributes/gptoss.tool.status").asText());
        assertEquals(
                "return",
                spans.get(2).at("/attributes/gen_ai.response.finish_reasons").asText());
    }

    private static Outcome chat(String input, String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "chat";
            System.arraycopy(args, 0, all, 1, args.length);
            return run(all);
        } finally {
            System.setIn(stdin);
        }
    }
}
