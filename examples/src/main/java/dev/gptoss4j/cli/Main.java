package dev.gptoss4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gptoss} command-line app: one entry point, one sub-command per job. */
@Command(
        name = "gptoss",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Run gpt-oss agents and models on the JVM.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TokenizeCommand.class,
            DetokenizeCommand.class,
            LogitsCommand.class,
            GenerateCommand.class,
            HarmonyCommand.class,
            RunCommand.class,
            ChatCommand.class,
            SynthCommand.class,
            ServeCommand.class,
            DownloadCommand.class,
            LangChain4jCommand.class,
            BotsCommand.class,
            BenchCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CliEnvironment environment;

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    public Main() {
        this(CliEnvironment.system());
    }

    Main(CliEnvironment environment) {
        this.environment = environment;
    }

    /** Environment variables, terminal and machine the commands see. */
    CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // LangChain4j (tool schemas) logs through SLF4J; the app has no logger, and SLF4J's "no providers"
        // notice on every start is noise to users.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return commandLine(CliEnvironment.system());
    }

    /** The command line of an app that sees {@code environment} instead of this process's (tests). */
    static CommandLine commandLine(CliEnvironment environment) {
        CommandLine cli = new CommandLine(new Main(environment));
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    /** Reads the version Maven wrote into the jar at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/gptoss-version.properties")) {
                if (in != null) p.load(in);
            } catch (IOException ignored) {
                // fall through to "unknown"
            }
            return new String[] {
                "gptoss " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ", "
                        + System.getProperty("os.arch") + ")"
            };
        }
    }
}
