package dev.gptoss4j.engine.constrain;

/**
 * A compiled JSON Schema (sub)schema: what value may stand at one place of the document. Nodes are compared by
 * identity, so grammar states that point at them hash cheaply. Cycles are allowed (the "any value" node contains
 * arrays of itself): values are matched lazily, one frame per open value.
 */
abstract sealed class SchemaNode {

    /** An object with declared properties only (see {@link JsonSchemaGrammar} on additional properties). */
    static final class ObjectSchema extends SchemaNode {
        final LiteralTrie keys; // JSON-encoded names with their quotes, so no key is a prefix of another
        final SchemaNode[] values;
        final long required;
        final long all;
        final int maxWhitespace;

        ObjectSchema(LiteralTrie keys, SchemaNode[] values, long required, int maxWhitespace) {
            this.keys = keys;
            this.values = values;
            this.required = required;
            this.all = values.length == 64 ? -1L : (1L << values.length) - 1;
            this.maxWhitespace = maxWhitespace;
        }
    }

    /**
     * An object whose keys are any strings, each with a value of {@code values}: {@code additionalProperties} without
     * declared properties ({@code json_object}'s "any object"). Keys are not checked for repeats.
     */
    static final class MapSchema extends SchemaNode {
        SchemaNode values; // set after construction: the free "any" node's objects contain itself
        final int maxWhitespace;

        MapSchema(SchemaNode values, int maxWhitespace) {
            this.values = values;
            this.maxWhitespace = maxWhitespace;
        }
    }

    static final class ArraySchema extends SchemaNode {
        SchemaNode items; // set after construction: the "any" node's arrays contain itself
        final int minItems;
        final int maxItems;
        final int maxWhitespace;

        ArraySchema(SchemaNode items, int minItems, int maxItems, int maxWhitespace) {
            this.items = items;
            this.minItems = minItems;
            this.maxItems = maxItems;
            this.maxWhitespace = maxWhitespace;
        }

        /** Item counts beyond this need not be told apart. */
        int countCap() {
            return maxItems == Integer.MAX_VALUE ? minItems : maxItems;
        }
    }

    static final class StringSchema extends SchemaNode {
        final int minLength;
        final int maxLength; // Integer.MAX_VALUE: unbounded

        StringSchema(int minLength, int maxLength) {
            this.minLength = minLength;
            this.maxLength = maxLength;
        }

        /** Character counts beyond this need not be told apart (0: a free string is one state). */
        int countCap() {
            return maxLength == Integer.MAX_VALUE ? minLength : maxLength;
        }
    }

    static final class NumberSchema extends SchemaNode {
        final boolean integer;

        NumberSchema(boolean integer) {
            this.integer = integer;
        }
    }

    /** One of a fixed set of JSON texts (enum, const, true/false, null). */
    static final class LiteralSchema extends SchemaNode {
        final LiteralTrie literals;

        LiteralSchema(LiteralTrie literals) {
            this.literals = literals;
        }
    }

    static final class AnyOfSchema extends SchemaNode {
        SchemaNode[] alternatives;

        AnyOfSchema(SchemaNode[] alternatives) {
            this.alternatives = alternatives;
        }
    }
}
