package dev.gptoss4j.agent.hub;

/**
 * Decides whether a {@link ModelResolver} may download what it did not find locally, once the size is known and
 * before anything is fetched: a command-line app asks its user, a server refuses, a test says yes. It may also
 * throw its own exception (the disk is too small, no one can be asked) to refuse with a message of its own.
 */
@FunctionalInterface
public interface DownloadApproval {

    /** Downloads whatever is needed without asking (the default). */
    DownloadApproval ALWAYS = plan -> true;

    /** Never downloads: only what is already on this machine is used. */
    DownloadApproval NEVER = plan -> false;

    /** True to go ahead with {@code plan}; false declines (the resolver then fails with {@code DECLINED}). */
    boolean approve(DownloadPlan plan);
}
