package dev.gptoss4j.engine.constrain;

import dev.gptoss4j.engine.constrain.SchemaNode.AnyOfSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.ArraySchema;
import dev.gptoss4j.engine.constrain.SchemaNode.LiteralSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.MapSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.NumberSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.ObjectSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.StringSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;

/**
 * A position in a JSON document being matched against a {@link JsonSchemaGrammar}: a persistent stack of open
 * values (one frame each, innermost on top), or several such stacks while {@code anyOf} alternatives are still
 * undecided. A finished value stays on top until the next byte, which pops it and goes to its parent: that is how
 * a number learns it has ended. Every frame only accepts bytes after which the value can still be finished, so
 * every state this class hands out is viable.
 */
final class JsonState implements GrammarState {

    /** Longest number, in bytes: keeps a model from writing digits forever (and the states finite). */
    static final int MAX_NUMBER_LENGTH = 24;

    private final Stack[] stacks;
    private int hash;

    private JsonState(Stack[] stacks) {
        this.stacks = stacks;
    }

    static JsonState start(SchemaNode root) {
        return new JsonState(new Stack[] {new Stack(new Root(root, false), null)});
    }

    @Override
    public GrammarState step(int b) {
        Out out = new Out();
        for (Stack s : stacks) s.top.step(b, s, out);
        if (out.first == null) return null;
        if (out.more == null) {
            if (stacks.length == 1 && out.first == stacks[0]) return this; // e.g. one more character of a free string
            return new JsonState(new Stack[] {out.first});
        }
        LinkedHashSet<Stack> distinct = new LinkedHashSet<>();
        distinct.add(out.first);
        distinct.addAll(out.more);
        return new JsonState(distinct.toArray(new Stack[0]));
    }

    @Override
    public boolean isComplete() {
        for (Stack s : stacks) {
            if (s.top instanceof Root r) {
                if (r.done) return true;
            } else if (s.top.complete() && s.below != null && s.below.top instanceof Root) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonState other && Arrays.equals(stacks, other.stacks);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = Arrays.hashCode(stacks) | 1;
        return h;
    }

    @Override
    public String toString() {
        return Arrays.toString(stacks);
    }

    // --- machinery ------------------------------------------------------------------------------------------

    /** Open values, innermost first; persistent (shared tails), compared by content. */
    record Stack(Frame top, Stack below) {}

    /** Collects the stacks one byte leads to (more than one only while anyOf alternatives are open). */
    static final class Out {
        Stack first;
        ArrayList<Stack> more;

        void add(Stack s) {
            if (first == null) {
                first = s;
            } else {
                if (more == null) more = new ArrayList<>(2);
                more.add(s);
            }
        }
    }

    sealed interface Frame {
        /** Consumes {@code b} with {@code self} (whose top is this frame) as the stack; adds the results. */
        void step(int b, Stack self, Out out);

        /** Whether the value is finished (it is popped by the next byte). */
        boolean complete();

        /** This frame once the child value it was waiting for has finished. */
        default Frame resume() {
            throw new IllegalStateException(this + " has no child value");
        }
    }

    static boolean isWhitespace(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /** A finished value leaves; {@code b} goes to its parent. */
    static void pop(int b, Stack self, Out out) {
        Stack parent = self.below;
        if (parent == null) return;
        Frame resumed = parent.top.resume();
        Stack p = new Stack(resumed, parent.below);
        resumed.step(b, p, out);
    }

    static void replace(Frame next, Frame current, Stack self, Out out) {
        out.add(next.equals(current) ? self : new Stack(next, self.below));
    }

    /** A value of {@code node} begins with byte {@code b}, on top of {@code parent}. */
    static void startValue(SchemaNode node, int b, Stack parent, Out out) {
        switch (node) {
            case ObjectSchema o -> {
                if (b == '{') out.add(new Stack(new ObjectFrame(o, ObjectFrame.FIRST, 0, -1, 0), parent));
            }
            case MapSchema m -> {
                if (b == '{') out.add(new Stack(new MapFrame(m, MapFrame.FIRST, 0), parent));
            }
            case ArraySchema a -> {
                if (b == '[') out.add(new Stack(new ArrayFrame(a, ArrayFrame.FIRST, 0, 0), parent));
            }
            case StringSchema s -> {
                if (b == '"') out.add(new Stack(new StringFrame(s, 0, 0, 0, 0x80, 0xBF, false), parent));
            }
            case NumberSchema n -> {
                NumberFrame f = new NumberFrame(n.integer, NumberFrame.START, 0);
                f.step(b, new Stack(f, parent), out);
            }
            case LiteralSchema l -> {
                LiteralFrame f = new LiteralFrame(l, 0);
                f.step(b, new Stack(f, parent), out);
            }
            case AnyOfSchema any -> {
                for (SchemaNode alternative : any.alternatives) startValue(alternative, b, parent, out);
            }
        }
    }

    /** The bottom of every stack: the document, which is one value with nothing around it. */
    record Root(SchemaNode node, boolean done) implements Frame {
        @Override
        public void step(int b, Stack self, Out out) {
            if (!done) startValue(node, b, new Stack(this, null), out);
            // after the value: nothing more (no trailing whitespace)
        }

        @Override
        public boolean complete() {
            return done;
        }

        @Override
        public Frame resume() {
            return new Root(node, true);
        }
    }

    record ObjectFrame(ObjectSchema node, int phase, long seen, int at, int ws) implements Frame {
        static final int FIRST = 0; // after '{'
        static final int KEY = 1; // inside a key; `at` is the key trie node
        static final int COLON = 2; // after a key; `at` is the property
        static final int VALUE = 3; // after ':'
        static final int IN_VALUE = 4; // the property's value is open above
        static final int AFTER = 5; // after a value
        static final int NEXT = 6; // after ','
        static final int DONE = 7;

        @Override
        public void step(int b, Stack self, Out out) {
            switch (phase) {
                case FIRST, NEXT -> {
                    if (isWhitespace(b)) {
                        if (ws < node.maxWhitespace) replace(with(phase, at, ws + 1), this, self, out);
                    } else if (b == '}' && phase == FIRST) {
                        if ((node.required & ~seen) == 0) replace(with(DONE, -1, 0), this, self, out);
                    } else {
                        key(0, b, self, out);
                    }
                }
                case KEY -> key(at, b, self, out);
                case COLON -> {
                    if (isWhitespace(b)) {
                        if (ws < node.maxWhitespace) replace(with(COLON, at, ws + 1), this, self, out);
                    } else if (b == ':') {
                        replace(with(VALUE, at, 0), this, self, out);
                    }
                }
                case VALUE -> {
                    if (isWhitespace(b)) {
                        if (ws < node.maxWhitespace) replace(with(VALUE, at, ws + 1), this, self, out);
                    } else {
                        startValue(node.values[at], b, new Stack(with(IN_VALUE, at, 0), self.below), out);
                    }
                }
                case AFTER -> {
                    if (isWhitespace(b)) {
                        if (ws < node.maxWhitespace) replace(with(AFTER, -1, ws + 1), this, self, out);
                    } else if (b == ',') {
                        if ((node.all & ~seen) != 0) replace(with(NEXT, -1, 0), this, self, out);
                    } else if (b == '}') {
                        if ((node.required & ~seen) == 0) replace(with(DONE, -1, 0), this, self, out);
                    }
                }
                case DONE -> pop(b, self, out);
                default -> {} // IN_VALUE is never on top
            }
        }

        private void key(int trieNode, int b, Stack self, Out out) {
            int next = node.keys.child(trieNode, b);
            if (next < 0 || (node.keys.below(next) & node.all & ~seen) == 0) return; // no unused property down there
            int property = node.keys.terminal(next);
            // keys are quoted, so none is a prefix of another: reaching one ends the key
            out.add(new Stack(property >= 0 ? with(COLON, property, 0) : with(KEY, next, 0), self.below));
        }

        private ObjectFrame with(int phase, int at, int ws) {
            return new ObjectFrame(node, phase, seen, at, ws);
        }

        @Override
        public boolean complete() {
            return phase == DONE;
        }

        @Override
        public Frame resume() {
            return new ObjectFrame(node, AFTER, seen | (1L << at), -1, 0);
        }
    }

    /** An object with free keys: each key a string (a string frame above this one), then a value of the schema. */
    record MapFrame(MapSchema node, int phase, int ws) implements Frame {
        static final int FIRST = 0; // after '{'
        static final int IN_KEY = 1; // the key string is open above
        static final int COLON = 2; // after a key
        static final int VALUE = 3; // after ':'
        static final int IN_VALUE = 4; // the value is open above
        static final int AFTER = 5; // after a value
        static final int NEXT = 6; // after ','
        static final int DONE = 7;

        private static final StringSchema KEY = new StringSchema(0, Integer.MAX_VALUE);

        @Override
        public void step(int b, Stack self, Out out) {
            if (isWhitespace(b) && phase != DONE) {
                if (ws < node.maxWhitespace) replace(new MapFrame(node, phase, ws + 1), this, self, out);
                return;
            }
            switch (phase) {
                case FIRST, NEXT -> {
                    if (b == '}' && phase == FIRST) replace(new MapFrame(node, DONE, 0), this, self, out);
                    else startValue(KEY, b, new Stack(new MapFrame(node, IN_KEY, 0), self.below), out);
                }
                case COLON -> {
                    if (b == ':') replace(new MapFrame(node, VALUE, 0), this, self, out);
                }
                case VALUE -> startValue(node.values, b, new Stack(new MapFrame(node, IN_VALUE, 0), self.below), out);
                case AFTER -> {
                    if (b == ',') replace(new MapFrame(node, NEXT, 0), this, self, out);
                    else if (b == '}') replace(new MapFrame(node, DONE, 0), this, self, out);
                }
                case DONE -> pop(b, self, out);
                default -> {} // IN_KEY and IN_VALUE are never on top
            }
        }

        @Override
        public boolean complete() {
            return phase == DONE;
        }

        @Override
        public Frame resume() {
            return new MapFrame(node, phase == IN_KEY ? COLON : AFTER, 0);
        }
    }

    record ArrayFrame(ArraySchema node, int phase, int count, int ws) implements Frame {
        static final int FIRST = 0;
        static final int IN_VALUE = 1;
        static final int AFTER = 2;
        static final int NEXT = 3;
        static final int DONE = 4;

        @Override
        public void step(int b, Stack self, Out out) {
            switch (phase) {
                case FIRST, NEXT -> {
                    if (isWhitespace(b)) {
                        if (ws < node.maxWhitespace)
                            replace(new ArrayFrame(node, phase, count, ws + 1), this, self, out);
                    } else if (b == ']' && phase == FIRST) {
                        if (node.minItems == 0) replace(new ArrayFrame(node, DONE, count, 0), this, self, out);
                    } else if (count < node.maxItems) {
                        startValue(node.items, b, new Stack(new ArrayFrame(node, IN_VALUE, count, 0), self.below), out);
                    }
                }
                case AFTER -> {
                    if (isWhitespace(b)) {
                        if (ws < node.maxWhitespace)
                            replace(new ArrayFrame(node, AFTER, count, ws + 1), this, self, out);
                    } else if (b == ',') {
                        if (count < node.maxItems) replace(new ArrayFrame(node, NEXT, count, 0), this, self, out);
                    } else if (b == ']') {
                        if (count >= node.minItems) replace(new ArrayFrame(node, DONE, count, 0), this, self, out);
                    }
                }
                case DONE -> pop(b, self, out);
                default -> {}
            }
        }

        @Override
        public boolean complete() {
            return phase == DONE;
        }

        @Override
        public Frame resume() {
            return new ArrayFrame(node, AFTER, Math.min(count + 1, node.countCap()), 0);
        }
    }

    /**
     * Inside a string: {@code count} characters so far (only as far as the length limits need), {@code escape}
     * 1 after a backslash and 2..5 inside {@code \\uXXXX}, {@code pending} UTF-8 continuation bytes still due,
     * the next one in {@code [lo, hi]} (which rules out overlong forms and surrogates).
     */
    record StringFrame(StringSchema node, int count, int escape, int pending, int lo, int hi, boolean done)
            implements Frame {
        @Override
        public void step(int b, Stack self, Out out) {
            if (done) {
                pop(b, self, out);
                return;
            }
            if (pending > 0) {
                if (b >= lo && b <= hi)
                    replace(new StringFrame(node, count, 0, pending - 1, 0x80, 0xBF, false), this, self, out);
                return;
            }
            if (escape == 1) {
                if (b == 'u') {
                    replace(new StringFrame(node, count, 2, 0, 0x80, 0xBF, false), this, self, out);
                } else if (b == '"' || b == '\\' || b == '/' || b == 'b' || b == 'f' || b == 'n' || b == 'r'
                        || b == 't') {
                    replace(new StringFrame(node, count, 0, 0, 0x80, 0xBF, false), this, self, out);
                }
                return;
            }
            if (escape >= 2) {
                if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')) {
                    replace(
                            new StringFrame(node, count, escape == 5 ? 0 : escape + 1, 0, 0x80, 0xBF, false),
                            this,
                            self,
                            out);
                }
                return;
            }
            if (b == '"') {
                if (count >= node.minLength)
                    replace(new StringFrame(node, count, 0, 0, 0x80, 0xBF, true), this, self, out);
                return;
            }
            if (b < 0x20 || count >= node.maxLength) return;
            int counted = Math.min(count + 1, node.countCap());
            if (b == '\\') {
                replace(new StringFrame(node, counted, 1, 0, 0x80, 0xBF, false), this, self, out);
            } else if (b < 0x80) {
                replace(new StringFrame(node, counted, 0, 0, 0x80, 0xBF, false), this, self, out);
            } else if (b >= 0xC2 && b <= 0xDF) {
                replace(new StringFrame(node, counted, 0, 1, 0x80, 0xBF, false), this, self, out);
            } else if (b == 0xE0) {
                replace(new StringFrame(node, counted, 0, 2, 0xA0, 0xBF, false), this, self, out);
            } else if (b == 0xED) {
                replace(new StringFrame(node, counted, 0, 2, 0x80, 0x9F, false), this, self, out);
            } else if (b >= 0xE1 && b <= 0xEF) {
                replace(new StringFrame(node, counted, 0, 2, 0x80, 0xBF, false), this, self, out);
            } else if (b == 0xF0) {
                replace(new StringFrame(node, counted, 0, 3, 0x90, 0xBF, false), this, self, out);
            } else if (b >= 0xF1 && b <= 0xF3) {
                replace(new StringFrame(node, counted, 0, 3, 0x80, 0xBF, false), this, self, out);
            } else if (b == 0xF4) {
                replace(new StringFrame(node, counted, 0, 3, 0x80, 0x8F, false), this, self, out);
            }
        }

        @Override
        public boolean complete() {
            return done;
        }
    }

    /** JSON number grammar; {@code length} bytes so far, at most {@link #MAX_NUMBER_LENGTH}. */
    record NumberFrame(boolean integer, int phase, int length) implements Frame {
        static final int START = 0;
        static final int MINUS = 1;
        static final int ZERO = 2; // complete
        static final int INT = 3; // complete
        static final int DOT = 4;
        static final int FRACTION = 5; // complete
        static final int E = 6;
        static final int E_SIGN = 7;
        static final int EXPONENT = 8; // complete

        @Override
        public void step(int b, Stack self, Out out) {
            boolean digit = b >= '0' && b <= '9';
            int next = -1;
            switch (phase) {
                case START -> next = b == '-' ? MINUS : b == '0' ? ZERO : digit ? INT : -1;
                case MINUS -> next = b == '0' ? ZERO : digit ? INT : -1;
                case ZERO, INT -> {
                    if (digit && phase == INT) next = INT;
                    else if (b == '.' && !integer) next = DOT;
                    else if ((b == 'e' || b == 'E') && !integer) next = E;
                }
                case DOT -> next = digit ? FRACTION : -1;
                case FRACTION -> next = digit ? FRACTION : (b == 'e' || b == 'E') ? E : -1;
                case E -> next = (b == '+' || b == '-') ? E_SIGN : digit ? EXPONENT : -1;
                case E_SIGN, EXPONENT -> next = digit ? EXPONENT : -1;
                default -> {}
            }
            if (next >= 0) {
                // an unfinished number needs room for one more byte after this one
                int room = complete(next) ? MAX_NUMBER_LENGTH : MAX_NUMBER_LENGTH - 1;
                if (length + 1 <= room) out.add(new Stack(new NumberFrame(integer, next, length + 1), self.below));
            } else if (complete()) {
                pop(b, self, out);
            }
        }

        private static boolean complete(int phase) {
            return phase == ZERO || phase == INT || phase == FRACTION || phase == EXPONENT;
        }

        @Override
        public boolean complete() {
            return complete(phase);
        }
    }

    /** Inside one of a fixed set of JSON texts; {@code at} is the literal trie node. */
    record LiteralFrame(LiteralSchema node, int at) implements Frame {
        @Override
        public void step(int b, Stack self, Out out) {
            int next = node.literals.child(at, b);
            if (next >= 0) out.add(new Stack(new LiteralFrame(node, next), self.below));
            if (complete()) pop(b, self, out); // a literal that is a prefix of another (1 and 10) may end here
        }

        @Override
        public boolean complete() {
            return node.literals.terminal(at) >= 0;
        }
    }
}
