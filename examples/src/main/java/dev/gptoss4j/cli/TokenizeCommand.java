package dev.gptoss4j.cli;

import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss tokenize}: text to o200k_harmony token ids, printed as a JSON array. */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Print the o200k_harmony token ids of a text as a JSON array.",
            "The text is taken exactly (a trailing newline counts) from --text, --file, or standard input.",
            "Special-token spellings such as <|start|> in the text are ordinary text, never control tokens."
        })
final class TokenizeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--text", paramLabel = "TEXT", required = true, description = "The text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "FILE", required = true, description = "A UTF-8 file to tokenize.")
        Path file;
    }

    /** Where the text comes from when neither option is given; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public void run() {
        String text;
        if (source != null && source.text != null) {
            text = source.text;
        } else if (source != null && source.file != null) {
            text = utf8(readFile(source.file), "file " + source.file);
        } else {
            text = utf8(readStdin(stdin), "standard input");
        }
        int[] ids = Tokenizer.o200kHarmony().encode(text);
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder json = new StringBuilder(ids.length * 7 + 2).append('[');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) json.append(',');
            json.append(ids[i]);
        }
        out.println(json.append(']'));
        out.flush();
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] readStdin(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Strict UTF-8: a tokenizer fed replacement characters would give ids for text the user never wrote. */
    static String utf8(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            throw new IllegalArgumentException(what + " is not valid UTF-8 (bad byte at offset " + in.position() + ")");
        }
        return out.flip().toString();
    }
}
