package dev.gptoss4j.agent.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which files of a repository to download. The default is what the engine loads from a Hugging Face checkpoint:
 * the top-level {@code *.json} (config.json, generation_config.json, model.safetensors.index.json, tokenizer
 * files), {@code *.safetensors} and {@code *.jinja}; gpt-oss's {@code original/} and {@code metal/} copies of the
 * weights (another 13 GB each for 20b) are skipped unless a pattern asks for them.
 *
 * <p>Patterns follow the Hub's {@code allow_patterns}: shell globs over the whole path where {@code *} also
 * matches {@code /}, {@code ?} one character; a pattern ending in {@code /} means everything under that folder.
 */
public final class FileSelection {

    private static final List<String> DEFAULT_TOP_LEVEL = List.of("*.json", "*.safetensors", "*.jinja");

    private final boolean defaults;
    private final List<String> patterns;
    private final List<Pattern> compiled;

    private FileSelection(boolean defaults, List<String> patterns) {
        this.defaults = defaults;
        this.patterns = List.copyOf(patterns);
        this.compiled = new ArrayList<>();
        for (String p : patterns) compiled.add(glob(p));
    }

    /** The default gpt-oss checkpoint files. */
    public static FileSelection defaults() {
        return new FileSelection(true, List.of());
    }

    /** The default files plus those matching any of {@code patterns} (e.g. {@code original/*}). */
    public static FileSelection defaultsPlus(List<String> patterns) {
        return new FileSelection(true, checked(patterns));
    }

    /** Only the files matching any of {@code patterns} ({@code *} for all). */
    public static FileSelection only(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) throw new IllegalArgumentException("no file patterns given");
        return new FileSelection(false, checked(patterns));
    }

    public boolean includesDefaults() {
        return defaults;
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean matches(String path) {
        if (defaults && path.indexOf('/') < 0) {
            for (String p : DEFAULT_TOP_LEVEL) if (glob(p).matcher(path).matches()) return true;
        }
        for (Pattern p : compiled) if (p.matcher(path).matches()) return true;
        return false;
    }

    @Override
    public String toString() {
        return (defaults ? "defaults" : "")
                + (defaults && !patterns.isEmpty() ? " + " : "")
                + String.join(", ", patterns);
    }

    private static List<String> checked(List<String> patterns) {
        List<String> out = new ArrayList<>();
        if (patterns == null) return out;
        for (String p : patterns) {
            if (p == null || p.isBlank()) throw new IllegalArgumentException("empty file pattern");
            out.add(p.strip());
        }
        return out;
    }

    /** fnmatch-style glob to a regex: '*' crosses '/', as the Hub's own filtering does. */
    static Pattern glob(String glob) {
        String g = glob.endsWith("/") ? glob + "*" : glob;
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String body = g.substring(i + 1, end);
                        if (body.startsWith("!")) body = "^" + body.substring(1);
                        re.append('[').append(body.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
