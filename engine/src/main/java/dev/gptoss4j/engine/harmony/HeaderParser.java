package dev.gptoss4j.engine.harmony;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses header text (control tokens spelled out) the way openai/harmony does, so every order the model
 * produces is accepted: {@code assistant to=functions.f<|channel|>commentary <|constrain|>json},
 * {@code assistant<|channel|>commentary to=functions.f<|constrain|>json}, {@code browser.search to=assistant<|channel|>commentary}.
 * Beyond the reference it also reads what the renderer writes for named authors ({@code user:alice}) and a tool
 * message without recipient ({@code functions.get_weather}).
 */
final class HeaderParser {

    static final String CHANNEL = "<|channel|>";
    static final String CONSTRAIN = "<|constrain|>";

    /** A header, and the words left over when recipient and content type were not parsed (lenient recovery). */
    record Parsed(MessageHeader header, String remaining) {}

    private HeaderParser() {}

    /**
     * @param presetRole          the role when the stream began inside this message's header (no role word), or null
     * @param parseRecipientAndType false in lenient recovery of a header without {@code <|message|>}: the words
     *                            after the channel are the message's text
     * @throws IllegalArgumentException with the reason when the header does not parse
     */
    static Parsed parse(String header, Role presetRole, boolean parseRecipientAndType) {
        String channel = null;
        int marker = header.indexOf(CHANNEL);
        if (marker >= 0) {
            String after = header.substring(marker + CHANNEL.length());
            int end = 0;
            while (end < after.length() && !Character.isWhitespace(after.charAt(end)) && after.charAt(end) != '<')
                end++;
            if (end == 0) throw new IllegalArgumentException("<|channel|> is not followed by a channel name");
            channel = after.substring(0, end);
            header = header.substring(0, marker) + after.substring(end);
        }
        header = header.strip();
        // "to=f<|constrain|>json": the model may leave out the space before <|constrain|>.
        if (header.contains(CONSTRAIN))
            header = header.replace(CONSTRAIN, " " + CONSTRAIN).strip();

        List<String> parts = new ArrayList<>(Arrays.asList(splitAsciiWhitespace(header)));
        Role role = presetRole;
        String name = null;
        if (role == null) {
            if (parts.isEmpty()) throw new IllegalArgumentException("the header names no role");
            String first = parts.getFirst();
            role = Role.fromWireNameOrNull(first);
            if (role == null) {
                int colon = first.indexOf(':');
                Role named = colon > 0 ? Role.fromWireNameOrNull(first.substring(0, colon)) : null;
                if (named != null && named != Role.TOOL && colon + 1 < first.length()) {
                    role = named;
                    name = first.substring(colon + 1);
                    parts.removeFirst();
                } else if (first.contains("<|")) {
                    throw new IllegalArgumentException("unknown role '" + first + "'");
                } else {
                    // An unknown word is a tool's name: tools write as themselves ("browser.search to=assistant").
                    role = Role.TOOL;
                    name = first;
                    parts.removeFirst();
                }
            }
        }
        if (!parts.isEmpty() && parts.getFirst().equals(role.wireName())) parts.removeFirst();

        String recipient = null;
        String contentType = null;
        if (parseRecipientAndType && !parts.isEmpty()) {
            int count = parts.size();
            String last = parts.removeLast();
            if (last.startsWith("to=")) {
                recipient = last.substring(3);
            } else if (count == 1) {
                recipient = last;
            } else {
                contentType = last;
                String raw = parts.removeLast();
                recipient = raw.startsWith("to=") ? raw.substring(3) : raw;
            }
            if (!parts.isEmpty()) {
                throw new IllegalArgumentException("unexpected words remaining in message header: " + parts);
            }
        }
        String remaining = parts.isEmpty() ? null : String.join(" ", parts);
        return new Parsed(new MessageHeader(new Author(role, name), recipient, channel, contentType), remaining);
    }

    private static String[] splitAsciiWhitespace(String s) {
        String t = s.strip();
        return t.isEmpty() ? new String[0] : t.split("[ \\t\\n\\r\\f]+");
    }
}
