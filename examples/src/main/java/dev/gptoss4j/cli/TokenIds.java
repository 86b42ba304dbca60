package dev.gptoss4j.cli;

import picocli.CommandLine;

/** Parses "1,2,3" into token ids for the --tokens options. */
final class TokenIds {

    private TokenIds() {}

    static int[] parse(String value) {
        String[] parts = value.trim().split("[,\\s]+");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + parts[i] + "' is not a token id (expected e.g. 1,2,3)");
            }
            if (ids[i] < 0) throw new CommandLine.TypeConversionException("token id " + ids[i] + " is negative");
        }
        return ids;
    }
}
