package dev.gptoss4j.agent.hub;

import java.util.regex.Pattern;

/**
 * A Hugging Face model repository and the revision wanted from it: {@code openai/gpt-oss-20b} or
 * {@code openai/gpt-oss-20b@<branch, tag or commit>}.
 *
 * @param repo     {@code owner/name}
 * @param revision a branch, tag or commit hash; {@code main} when not given
 */
public record RepoId(String repo, String revision) {

    public static final String DEFAULT_REVISION = "main";

    // The Hub's own rule for repo ids: word characters, '-' and '.', no "--" or ".." (they would make the cache
    // folder name models--a--b ambiguous or escape directories).
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]{1,96}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public RepoId {
        if (repo == null || !isRepo(repo)) {
            throw new IllegalArgumentException("not a Hugging Face repo id: '" + repo + "' (expected owner/name)");
        }
        if (revision == null || revision.isBlank()) revision = DEFAULT_REVISION;
        if (revision.contains("..") || revision.startsWith("/") || revision.contains("\\")) {
            throw new IllegalArgumentException("not a usable revision: '" + revision + "'");
        }
    }

    /** Parses {@code owner/name} or {@code owner/name@revision}. */
    public static RepoId parse(String spec) {
        if (spec == null) throw new IllegalArgumentException("no repo id given");
        int at = spec.indexOf('@');
        return at < 0 ? new RepoId(spec, DEFAULT_REVISION) : new RepoId(spec.substring(0, at), spec.substring(at + 1));
    }

    /** Whether {@code s} has the shape of a repo id (owner/name, optionally @revision). */
    public static boolean looksLikeRepoId(String s) {
        if (s == null) return false;
        int at = s.indexOf('@');
        return isRepo(at < 0 ? s : s.substring(0, at));
    }

    private static boolean isRepo(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length != 2) return false;
        for (String p : parts) {
            if (!PART.matcher(p).matches()
                    || p.contains("--")
                    || p.contains("..")
                    || p.startsWith("-")
                    || p.startsWith(".")
                    || p.endsWith("-")
                    || p.endsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /** Whether the revision is already a full commit hash (then no ref is needed to find its snapshot). */
    public boolean isCommit() {
        return COMMIT.matcher(revision).matches();
    }

    /** The cache folder's name: {@code models--owner--name}. */
    public String folderName() {
        return "models--" + repo.replace("/", "--");
    }

    @Override
    public String toString() {
        return revision.equals(DEFAULT_REVISION) ? repo : repo + "@" + revision;
    }
}
