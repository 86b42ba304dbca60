package dev.gptoss4j.archfixture.a;

/** Calls into another library's {@code .internal.} package on purpose: proves that rule can fail. */
public final class UsesInternal {
    static boolean blank(String s) {
        return dev.langchain4j.internal.Utils.isNullOrBlank(s);
    }
}
