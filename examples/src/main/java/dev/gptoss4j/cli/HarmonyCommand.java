package dev.gptoss4j.cli;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyJson;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.HarmonyStreamParser;
import dev.gptoss4j.engine.harmony.HarmonyText;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.RenderOptions;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss harmony render|parse}: the harmony chat format from the command line. */
@Command(
        name = "harmony",
        mixinStandardHelpOptions = true,
        description = "Render conversations to harmony prompts, parse harmony completions.",
        subcommands = {HarmonyCommand.Render.class, HarmonyCommand.Parse.class})
final class HarmonyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum Mode {
        completion,
        training,
        conversation
    }

    @Command(
            name = "render",
            mixinStandardHelpOptions = true,
            description = {
                "Render a conversation (JSON, openai/harmony's Conversation.to_dict shape) to the harmony prompt.",
                "Prints the text, with special tokens spelled out, or the token ids with --tokens."
            })
    static final class Render implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--in", paramLabel = "FILE", description = "Conversation JSON file ('-' or absent: stdin).")
        String in;

        @Option(names = "--tokens", description = "Print the token ids as a JSON array instead of the text.")
        boolean tokens;

        @Option(
                names = "--mode",
                paramLabel = "MODE",
                defaultValue = "completion",
                description =
                        "completion (prompt for the next turn, ends with <|start|>assistant), training "
                                + "(a final answer ends with <|return|>) or conversation (messages as they are). Default: ${DEFAULT-VALUE}.")
        Mode mode;

        @Option(
                names = "--next-role",
                paramLabel = "ROLE",
                defaultValue = "assistant",
                description = "Whose turn follows, for --mode completion. Default: ${DEFAULT-VALUE}.")
        String nextRole;

        @Option(
                names = "--keep-analysis",
                description =
                        "Keep analysis messages before the last final answer (by default they are dropped, as openai/harmony does).")
        boolean keepAnalysis;

        @Override
        public Integer call() throws IOException {
            Conversation conversation = HarmonyJson.conversationFromJson(readInput(in));
            RenderOptions options = switch (mode) {
                case completion -> RenderOptions.completion(Role.fromWireName(nextRole));
                case training -> RenderOptions.training();
                case conversation -> RenderOptions.conversation();
            };
            if (keepAnalysis) options = options.keepAnalysis();
            HarmonyRenderer renderer = HarmonyRenderer.create();
            int[] ids = renderer.render(conversation, options);
            var out = spec.commandLine().getOut();
            if (tokens) {
                out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]")));
            } else {
                out.println(renderer.tokenizer().decode(ids));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "parse",
            mixinStandardHelpOptions = true,
            description = {
                "Parse a completion into messages, printed as a JSON array (the conversation JSON form).",
                "Input: harmony text with special tokens written literally (<|channel|>, <|message|>, ...), or a JSON",
                "array of token ids. Trailing whitespace is ignored. A completion that does not begin with <|start|>",
                "is taken to begin inside an assistant header (after the prompt's <|start|>assistant)."
            })
    static final class Parse implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--in", paramLabel = "FILE", description = "Completion file ('-' or absent: stdin).")
        String in;

        @Option(
                names = "--role",
                paramLabel = "ROLE",
                description =
                        "Role of a completion that begins inside a header (default: assistant, when the input does not begin with <|start|>).")
        String role;

        @Option(
                names = "--lenient",
                description =
                        "Accept what openai/harmony's non-strict mode accepts (e.g. a header without <|message|>).")
        boolean lenient;

        @Override
        public Integer call() throws IOException {
            String input = readInput(in).stripTrailing();
            int[] ids = input.stripLeading().startsWith("[") ? tokenIds(input) : HarmonyText.tokenize(input);
            Role start = role != null
                    ? Role.fromWireName(role)
                    : ids.length > 0 && ids[0] != SpecialTokens.START ? Role.ASSISTANT : null;
            HarmonyStreamParser parser = HarmonyStreamParser.builder()
                    .startRole(start)
                    .strict(!lenient)
                    .build();
            for (int id : ids) parser.accept(id);
            parser.finish();
            List<Message> messages = parser.messages();
            var out = spec.commandLine().getOut();
            out.println(HarmonyJson.messagesToJson(messages, true));
            out.flush();
            return 0;
        }

        private static int[] tokenIds(String json) {
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
                int[] ids = new int[node.size()];
                for (int i = 0; i < ids.length; i++) {
                    var n = node.get(i);
                    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                        throw new IllegalArgumentException("token ids: element " + i + " is not an integer: " + n);
                    }
                    ids[i] = n.intValue();
                }
                return ids;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("token ids: invalid JSON array: " + e.getOriginalMessage());
            }
        }
    }

    static String readInput(String in) throws IOException {
        if (in == null || in.equals("-")) {
            InputStream stdin = System.in;
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(in), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + in);
        }
    }
}
