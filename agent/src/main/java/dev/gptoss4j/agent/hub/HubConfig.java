package dev.gptoss4j.agent.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where models come from and where they are kept, read from the same environment variables as Hugging Face's own
 * tools so that a cache filled by {@code huggingface-cli download} is found, and the other way round.
 *
 * @param endpoint     the Hub's base URL ({@code HF_ENDPOINT}, default {@code https://huggingface.co}), no trailing
 *                     slash
 * @param cacheDir     the hub cache ({@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else
 *                     {@code ~/.cache/huggingface/hub})
 * @param token        an access token sent as {@code Authorization: Bearer} ({@code HF_TOKEN}, else the file
 *                     {@code $HF_HOME/token} written by {@code huggingface-cli login}); {@code null} for none
 * @param offline      {@code HF_HUB_OFFLINE}: never touch the network, use only what is on disk
 * @param ollamaModels Ollama model stores to look in ({@code OLLAMA_MODELS}, else {@code ~/.ollama/models} and the
 *                     Linux service's {@code /usr/share/ollama/.ollama/models})
 */
public record HubConfig(String endpoint, Path cacheDir, String token, boolean offline, List<Path> ollamaModels) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");

    public HubConfig {
        if (endpoint == null || endpoint.isBlank()) endpoint = DEFAULT_ENDPOINT;
        while (endpoint.endsWith("/")) endpoint = endpoint.substring(0, endpoint.length() - 1);
        if (cacheDir == null) throw new IllegalArgumentException("cacheDir must not be null");
        if (token != null && token.isBlank()) token = null;
        ollamaModels = ollamaModels == null ? List.of() : List.copyOf(ollamaModels);
    }

    /** From this process's environment and home directory. */
    public static HubConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** From the given environment variables, with {@code home} standing for {@code ~}. */
    public static HubConfig fromEnvironment(Map<String, String> env, Path home) {
        Path hfHome = path(env.get("HF_HOME"), home);
        if (hfHome == null) {
            Path xdg = path(env.get("XDG_CACHE_HOME"), home);
            hfHome = (xdg != null ? xdg : home.resolve(".cache")).resolve("huggingface");
        }
        Path cache = path(env.get("HF_HUB_CACHE"), home);
        if (cache == null) cache = path(env.get("HUGGINGFACE_HUB_CACHE"), home);
        if (cache == null) cache = hfHome.resolve("hub");

        String token = nonBlank(env.get("HF_TOKEN"));
        if (token == null) token = nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"));
        if (token == null) {
            Path tokenFile = path(env.get("HF_TOKEN_PATH"), home);
            token = readToken(tokenFile != null ? tokenFile : hfHome.resolve("token"));
        }

        List<Path> ollama = new ArrayList<>();
        Path ollamaEnv = path(env.get("OLLAMA_MODELS"), home);
        if (ollamaEnv != null) {
            ollama.add(ollamaEnv);
        } else {
            ollama.add(home.resolve(".ollama").resolve("models"));
            ollama.add(Path.of("/usr/share/ollama/.ollama/models"));
        }
        String offline = env.get("HF_HUB_OFFLINE");
        return new HubConfig(
                env.get("HF_ENDPOINT"),
                cache,
                token,
                offline != null && TRUE.contains(offline.strip().toLowerCase(Locale.ROOT)),
                ollama);
    }

    public HubConfig withEndpoint(String endpoint) {
        return new HubConfig(endpoint, cacheDir, token, offline, ollamaModels);
    }

    public HubConfig withCacheDir(Path cacheDir) {
        return new HubConfig(endpoint, cacheDir, token, offline, ollamaModels);
    }

    public HubConfig withToken(String token) {
        return new HubConfig(endpoint, cacheDir, token, offline, ollamaModels);
    }

    public HubConfig withOffline(boolean offline) {
        return new HubConfig(endpoint, cacheDir, token, offline, ollamaModels);
    }

    public HubConfig withOllamaModels(List<Path> ollamaModels) {
        return new HubConfig(endpoint, cacheDir, token, offline, ollamaModels);
    }

    @Override
    public String toString() {
        // never print the token
        return "HubConfig[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token="
                + (token == null ? "none" : "***") + ", offline=" + offline + ", ollamaModels=" + ollamaModels + "]";
    }

    private static Path path(String value, Path home) {
        String v = nonBlank(value);
        if (v == null) return null;
        if (v.equals("~")) return home;
        if (v.startsWith("~/")) return home.resolve(v.substring(2));
        return Path.of(v);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? nonBlank(Files.readString(file)) : null;
        } catch (IOException e) {
            return null; // an unreadable token file is the same as none: public repos still work
        }
    }
}
