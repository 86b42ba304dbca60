package dev.gptoss4j.agent.tool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides whether a tool call may run. A denial is reported to the model as the tool's result.
 *
 * <pre>{@code
 * ApprovalPolicy policy = ApprovalPolicy.perTool()
 *     .allow("functions.current_time")
 *     .ask("functions.delete_file", request -> console.confirm(request.arguments()))
 *     .otherwise(ApprovalPolicy.denyAll());
 * }</pre>
 */
@FunctionalInterface
public interface ApprovalPolicy {

    Approval review(ToolRequest request);

    static ApprovalPolicy allowAll() {
        return request -> Approval.allow();
    }

    static ApprovalPolicy denyAll() {
        return request -> Approval.deny("calls to " + request.recipient() + " are not allowed");
    }

    /**
     * Puts every call off: the run stops with {@code StopReason.SUSPENDED} and the call waits in the conversation
     * for {@code Agent.resume} with a person's decision, in this process or another (a stored session).
     */
    static ApprovalPolicy suspend() {
        return request -> Approval.suspend("calls to " + request.recipient() + " need a person's approval");
    }

    /** Asks a callback (a person at a console, a rule engine); {@code false} denies. */
    static ApprovalPolicy ask(Predicate<ToolRequest> callback) {
        return request -> callback.test(request)
                ? Approval.allow()
                : Approval.deny("the user did not approve this call to " + request.recipient());
    }

    /** A policy per tool recipient ({@code functions.NAME}, {@code python}), with a fallback for the others. */
    static PerTool perTool() {
        return new PerTool();
    }

    /** Builder of per-tool policies; unknown tools fall back to {@link #otherwise} (allow by default). */
    final class PerTool implements ApprovalPolicy {
        private final Map<String, ApprovalPolicy> policies = new LinkedHashMap<>();
        private ApprovalPolicy fallback = allowAll();

        PerTool() {}

        public PerTool allow(String recipient) {
            return policy(recipient, allowAll());
        }

        public PerTool deny(String recipient) {
            return policy(recipient, denyAll());
        }
        /** Calls to {@code recipient} suspend the run until a decision comes ({@link ApprovalPolicy#suspend()}). */
        public PerTool suspend(String recipient) {
            return policy(recipient, ApprovalPolicy.suspend());
        }

        public PerTool ask(String recipient, Predicate<ToolRequest> callback) {
            return policy(recipient, ApprovalPolicy.ask(callback));
        }

        public PerTool policy(String recipient, ApprovalPolicy policy) {
            policies.put(recipient, policy);
            return this;
        }

        public PerTool otherwise(ApprovalPolicy fallback) {
            this.fallback = fallback;
            return this;
        }

        @Override
        public Approval review(ToolRequest request) {
            return policies.getOrDefault(request.recipient(), fallback).review(request);
        }
    }
}
