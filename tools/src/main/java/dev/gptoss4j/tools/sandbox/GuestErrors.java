package dev.gptoss4j.tools.sandbox;

import java.util.regex.Pattern;

/**
 * Keeps the host's insides out of what the model reads. The languages run on Java, and some of their failures
 * (an interpreter bug, a refused capability, a builtin that assumes native support) surface as Java exceptions
 * whose messages name host classes. Those names tell the model nothing it can act on and tell an attacker how the
 * host is built, so errors are put in the sandbox's own terms and any qualified host class name left in a message
 * is replaced.
 */
final class GuestErrors {

    /**
     * Qualified names in the host's package namespaces ({@code java.lang.Foo}, {@code com.oracle.graal...}), but
     * not a directory inside a path (the language home lives under {@code ~/.cache/org.graalvm.polyglot/}).
     */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?<![\\w/.\\\\-])(?:java|javax|jdk|sun|com\\.sun|com\\.oracle|org\\.graalvm|dev\\.gptoss4j)"
                    + "(?:\\.[A-Za-z_$][\\w$]*)++(?:\\(\\))?(?![/\\\\])");

    private GuestErrors() {}

    /**
     * The message with every qualified host class or method name replaced by {@code <internal>}, except names the
     * guest code itself wrote (a refused {@code java.type('java.lang.Runtime')} may say which name was refused).
     */
    static String scrub(String message, String code) {
        if (message == null) {
            return null;
        }
        return HOST_NAME
                .matcher(message)
                .replaceAll(m -> code != null && code.contains(m.group())
                        ? java.util.regex.Matcher.quoteReplacement(m.group())
                        : "<internal>");
    }

    /** True when the text still names something of the host (what the tests check the model never sees). */
    static boolean namesHost(String text) {
        return HOST_NAME.matcher(text).find();
    }

    /** The error shown for a failure inside the language runtime itself, which is not the code's fault. */
    static String internalFailure(SandboxLanguage language) {
        return "SandboxError: the " + language.toolName() + " runtime failed internally while running this code "
                + "(a limitation or bug of the sandbox, not an error in the code). Try another way to do the same.";
    }
}
