package dev.gptoss4j.agent.hub;

import java.util.List;

/**
 * What the Hub's {@code /api/models/{repo}/revision/{revision}} says about a revision.
 *
 * @param commit the commit hash the revision points to
 * @param files  every file path in the repository at that commit ({@code siblings[].rfilename})
 */
public record RevisionInfo(String commit, List<String> files) {
    public RevisionInfo {
        files = List.copyOf(files);
    }
}
