package dev.gptoss4j.agent.guardrail;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A check on what enters or leaves a run: an input guardrail sees the user's message before the model does, an
 * output guardrail sees the final answer before the caller does. A block stops the run with
 * {@code StopReason.BLOCKED}, the guardrail's reason in {@code AgentResult.stopDetail()} and an
 * {@code AgentEvent.GuardrailBlocked}. Guardrails run on the run's thread, in the order given; the first block wins.
 *
 * <pre>{@code
 * Agent.builder()
 *     .inputGuardrails(Guardrail.denyList("password", "api key"))
 *     .outputGuardrails(Guardrail.regex("\\b\\d{16}\\b", "card numbers must not be shown"),
 *                       LlmJudge.builder().backend(judge).policy("No medical advice.").build())
 * }</pre>
 */
@FunctionalInterface
public interface Guardrail {

    /** Checks {@code text}; never throws for a verdict (an exception counts as a block, to fail closed). */
    Verdict check(String text);

    /** How the guardrail is named in events and stop details. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Blocks text containing any of {@code words}, ignoring case, as whole words or phrases (so "pass" does not
     * block "passport").
     */
    static Guardrail denyList(String... words) {
        List<String> list = List.of(words);
        if (list.isEmpty()) throw new IllegalArgumentException("a deny list needs at least one word");
        StringBuilder regex = new StringBuilder();
        for (String w : list) {
            if (w == null || w.isBlank()) throw new IllegalArgumentException("a deny list holds a blank word");
            if (!regex.isEmpty()) regex.append('|');
            regex.append(Pattern.quote(w.strip().toLowerCase(Locale.ROOT)));
        }
        Pattern p = Pattern.compile(
                "(?<![\\p{L}\\p{N}])(?:" + regex + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return named("deny-list", text -> {
            var m = p.matcher(text);
            return m.find() ? Verdict.block("the text contains the denied term '" + m.group() + "'") : Verdict.pass();
        });
    }

    /** Blocks text in which {@code regex} is found, with {@code reason}. */
    static Guardrail regex(String regex, String reason) {
        Pattern p = Pattern.compile(regex);
        Objects.requireNonNull(reason, "reason");
        return named("regex", text -> p.matcher(text).find() ? Verdict.block(reason) : Verdict.pass());
    }

    /** {@code check} under {@code name}. */
    static Guardrail named(String name, Guardrail check) {
        Objects.requireNonNull(name, "name");
        return new Guardrail() {
            @Override
            public Verdict check(String text) {
                return check.check(text);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * A guardrail's answer.
     *
     * @param blocked whether the text is stopped
     * @param reason  why, for the caller (not shown to the model); empty when it passes
     */
    record Verdict(boolean blocked, String reason) {

        private static final Verdict PASS = new Verdict(false, "");

        public Verdict {
            if (reason == null) reason = "";
        }

        public static Verdict pass() {
            return PASS;
        }

        public static Verdict block(String reason) {
            return new Verdict(true, reason);
        }
    }
}
