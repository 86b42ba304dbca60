package dev.gptoss4j.engine.constrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small prefix tree of byte strings (enum values, property names, header texts), for grammars that match one
 * of a fixed set of literals. Node 0 is the root; {@link #below} says which literals (by index, the first 64) a
 * node's subtree still holds, so a caller can prune prefixes whose literals are all used up.
 */
final class LiteralTrie {

    private final List<byte[]> edges = new ArrayList<>(); // per node: the bytes of its children, sorted
    private final List<int[]> children = new ArrayList<>();
    private final List<Integer> terminal = new ArrayList<>(); // literal index ending here, or -1
    private final List<Long> below = new ArrayList<>();
    private final int size;
    // frozen copies for the hot path (the lists above are only for building)
    private final byte[][] edgeAt;
    private final int[][] childAt;
    private final int[] terminalAt;
    private final long[] belowAt;

    LiteralTrie(List<byte[]> literals) {
        if (literals.isEmpty()) throw new IllegalArgumentException("a literal set needs at least one literal");
        size = literals.size();
        newNode();
        for (int i = 0; i < literals.size(); i++) {
            int node = 0;
            below.set(0, below.get(0) | bit(i));
            for (byte b : literals.get(i)) {
                int c = child(node, b & 0xFF);
                if (c < 0) c = addChild(node, b & 0xFF);
                node = c;
                below.set(node, below.get(node) | bit(i));
            }
            if (terminal.get(node) < 0) terminal.set(node, i);
        }
        int n = edges.size();
        edgeAt = edges.toArray(new byte[n][]);
        childAt = children.toArray(new int[n][]);
        terminalAt = terminal.stream().mapToInt(Integer::intValue).toArray();
        belowAt = below.stream().mapToLong(Long::longValue).toArray();
    }

    private static long bit(int i) {
        return i < 64 ? 1L << i : 0;
    }

    private int newNode() {
        edges.add(new byte[0]);
        children.add(new int[0]);
        terminal.add(-1);
        below.add(0L);
        return edges.size() - 1;
    }

    private int addChild(int node, int b) {
        int c = newNode();
        byte[] e = edges.get(node);
        int[] ch = children.get(node);
        byte[] e2 = Arrays.copyOf(e, e.length + 1);
        int[] ch2 = Arrays.copyOf(ch, ch.length + 1);
        e2[e.length] = (byte) b;
        ch2[ch.length] = c;
        edges.set(node, e2);
        children.set(node, ch2);
        return c;
    }

    /** The child of {@code node} along byte {@code b}, or -1. */
    int child(int node, int b) {
        byte[] e = edgeAt == null ? edges.get(node) : edgeAt[node];
        for (int i = 0; i < e.length; i++) {
            if ((e[i] & 0xFF) == b) return edgeAt == null ? children.get(node)[i] : childAt[node][i];
        }
        return -1;
    }

    /** Index of the literal that ends at {@code node}, or -1. */
    int terminal(int node) {
        return terminalAt[node];
    }

    long below(int node) {
        return belowAt[node];
    }

    int literalCount() {
        return size;
    }
}
