package dev.gptoss4j.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The user's settings file, {@code config.properties} (Java properties, {@code key=value}), where each system keeps
 * such files:
 *
 * <ul>
 *   <li>Linux and other Unix: {@code $XDG_CONFIG_HOME/gptoss4j/config.properties}, default
 *       {@code ~/.config/gptoss4j/config.properties};</li>
 *   <li>macOS: {@code ~/Library/Application Support/gptoss4j/config.properties};</li>
 *   <li>Windows: {@code %APPDATA%\gptoss4j\config.properties}.</li>
 * </ul>
 *
 * {@code GPTOSS_CONFIG} names another file. Keys: {@code model} (what runs when {@code --model} is not given).
 *
 * @param file  where the settings were looked for
 * @param model the {@code model} setting, null when unset
 */
record UserConfig(Path file, String model) {

    static final String FOLDER = "gptoss4j";
    static final String FILE = "config.properties";
    private static final Set<String> KEYS = Set.of("model");

    /** The settings file's place for this user and system (it need not exist). */
    static Path location(CliEnvironment env) {
        String explicit = env.get("GPTOSS_CONFIG");
        if (explicit != null) return expand(explicit, env);
        String os = env.osName().toLowerCase(Locale.ROOT);
        Path dir;
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            dir = appData != null
                    ? Path.of(appData)
                    : env.home().resolve("AppData").resolve("Roaming");
        } else if (os.startsWith("mac")) {
            dir = env.home().resolve("Library").resolve("Application Support");
        } else {
            String xdg = env.get("XDG_CONFIG_HOME");
            // XDG: a relative value is invalid and must be ignored
            dir = xdg != null && Path.of(xdg).isAbsolute()
                    ? Path.of(xdg)
                    : env.home().resolve(".config");
        }
        return dir.resolve(FOLDER).resolve(FILE);
    }

    /** The settings, empty when the file does not exist; a file that cannot be used is a clear error. */
    static UserConfig load(CliEnvironment env) {
        Path file = location(env);
        if (!Files.exists(file)) {
            if (env.get("GPTOSS_CONFIG") != null) {
                throw new IllegalArgumentException("GPTOSS_CONFIG names " + file + ", which does not exist");
            }
            return new UserConfig(file, null);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("config file " + file + ": unknown key '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String model = p.getProperty("model");
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("config file " + file + ": 'model' is empty (give a path, a Hugging "
                    + "Face repo id or an Ollama name, or remove the line)");
        }
        return new UserConfig(file, model == null ? null : model.strip());
    }

    private static Path expand(String path, CliEnvironment env) {
        if (path.equals("~")) return env.home();
        if (path.startsWith("~/")) return env.home().resolve(path.substring(2));
        return Path.of(path);
    }
}
