package dev.gptoss4j.cli;

import dev.gptoss4j.engine.tokenizer.SpecialTokenMode;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss detokenize}: o200k_harmony token ids back to text. */
@Command(
        name = "detokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Print the text of o200k_harmony token ids.",
            "Ids come from --ids or standard input, as 1,2,3 or a JSON array [1, 2, 3] (spaces also separate).",
            "The text is printed followed by a newline (none added when it already ends with one); "
                    + "--no-newline prints it exactly, for byte-exact round trips."
        })
final class DetokenizeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ids", paramLabel = "IDS", description = "Token ids: 1,2,3 or [1, 2, 3].")
    String ids;

    @Option(
            names = "--special-tokens",
            paramLabel = "MODE",
            defaultValue = "name",
            converter = ModeConverter.class,
            description = "Special tokens: name (print <|start|> etc.), skip (leave out), reject (fail)."
                    + " Default: ${DEFAULT-VALUE}.")
    SpecialTokenMode specials;

    @Option(
            names = "--no-newline",
            description = "Print the text exactly as the ids spell it, with no newline added (as echo -n).")
    boolean noNewline;

    static final class ModeConverter implements CommandLine.ITypeConverter<SpecialTokenMode> {
        @Override
        public SpecialTokenMode convert(String value) {
            try {
                return SpecialTokenMode.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of name, skip, reject");
            }
        }
    }

    /** Where the ids come from without --ids; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public void run() {
        String source = ids != null ? ids : new String(TokenizeCommand.readStdin(stdin), StandardCharsets.UTF_8);
        String text =
                Tokenizer.o200kHarmony().decode(parseIds(source, ids != null ? "--ids" : "standard input"), specials);
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        if (!noNewline && !text.endsWith("\n")) out.println();
        out.flush();
    }

    /** {@code 1,2,3}, {@code [1, 2, 3]} or ids separated by white space; empty or {@code []} is no ids. */
    static int[] parseIds(String source, String where) {
        String body = source.strip();
        if (body.startsWith("[")) {
            if (!body.endsWith("]")) {
                throw new IllegalArgumentException(where + ": a JSON array of ids must end with ']'");
            }
            body = body.substring(1, body.length() - 1).strip();
        }
        if (body.isEmpty()) return new int[0];
        String[] items = body.split("\\s*,\\s*|\\s+");
        int[] parsed = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                parsed[i] = Integer.parseInt(items[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": item " + (i + 1) + " is not a token id: '" + items[i]
                        + "' (expected integers like 1,2,3 or [1, 2, 3])");
            }
        }
        return parsed;
    }
}
