package dev.gptoss4j.cli;

import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.trace.JsonLinesTracing;
import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.OpenAiVisionModel;
import dev.gptoss4j.agent.vision.VisionModel;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.agents.ApprovalBot;
import dev.gptoss4j.examples.agents.GuardrailsBot;
import dev.gptoss4j.examples.agents.LongRunBot;
import dev.gptoss4j.examples.agents.TeamBot;
import dev.gptoss4j.examples.code.CodeInterpreterBot;
import dev.gptoss4j.examples.code.CodeRun;
import dev.gptoss4j.examples.langchain4j.AiServicesBot;
import dev.gptoss4j.examples.research.DemoWeb;
import dev.gptoss4j.examples.research.ResearchBot;
import dev.gptoss4j.examples.research.ResearchRun;
import dev.gptoss4j.examples.support.SupportBot;
import dev.gptoss4j.examples.vision.ColourLayoutAnalyser;
import dev.gptoss4j.examples.vision.VisionBot;
import dev.gptoss4j.examples.weather.WeatherBot;
import dev.gptoss4j.tools.browser.NetworkPolicy;
import dev.gptoss4j.tools.browser.SearxngSearchBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gptoss bots NAME}: the example bots (sources in {@code dev.gptoss4j.examples.*}). Each runs its bundled
 * replay by default, so it works without a model; the tools run for real either way.
 */
@Command(
        name = "bots",
        description = {
            "Example bots. Each replays a recorded model run by default (no model needed; the tools run "
                    + "for real); --model, --base-url or --backend replay:FILE change where completions come from.",
            "The LangChain4j examples are also under `gptoss langchain4j`."
        },
        mixinStandardHelpOptions = true,
        subcommands = {
            BotsCommand.Weather.class,
            BotsCommand.Code.class,
            BotsCommand.Research.class,
            BotsCommand.Vision.class,
            BotsCommand.Support.class,
            BotsCommand.LangChain4jBot.class,
            BotsCommand.LongRun.class,
            BotsCommand.Guardrails.class,
            BotsCommand.Team.class,
            BotsCommand.ApprovalDemo.class
        })
public final class BotsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where a bot's completions come from: the bundled replay unless told otherwise (same flags as run). */
    static class ModelOptions {
        @CommandLine.Mixin
        BackendOptions source = new BackendOptions();

        @CommandLine.Mixin
        RemoteOptions remote = new RemoteOptions();

        @Option(
                names = "--effort",
                paramLabel = "LEVEL",
                description = "Reasoning effort: low, medium or high " + "(default: low).")
        String effort = "low";

        /** True when the bot runs its own bundled replay (its output is then the recorded run's). */
        boolean bundled() {
            return source.unset() && !remote.remote();
        }

        Backend backend(Supplier<Backend> bundled, CommandLine.Model.CommandSpec spec) {
            return bundled() ? bundled.get() : source.open(spec, remote);
        }

        ReasoningEffort effort() {
            return ReasoningEffort.parse(effort);
        }
    }

    /** Exit code 0 when the model answered, else the stop's code ({@link ExitCodes}) with the reason on stderr. */
    static int exitCode(AgentResult result, CommandLine.Model.CommandSpec spec) {
        if (result.completed()) return 0;
        spec.commandLine()
                .getErr()
                .println("gptoss bots " + spec.name() + ": stopped without an answer: " + result.stopReason()
                        + (result.stopDetail() == null ? "" : " (" + result.stopDetail() + ")"));
        return ExitCodes.of(result.stopReason());
    }

    @Command(
            name = "long-run",
            mixinStandardHelpOptions = true,
            description = "Context management: three long reports in a 2,048-token window; old tool output is "
                    + "trimmed before each call and the run completes.")
    static final class LongRun implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--task", paramLabel = "TEXT", description = "What to ask (default: the bundled question).")
        String task = LongRunBot.TASK;

        @Override
        public Integer call() {
            try (Backend backend = options.backend(LongRunBot::replay, spec)) {
                return exitCode(
                        LongRunBot.run(
                                backend,
                                options.effort(),
                                task,
                                spec.commandLine().getOut()),
                        spec);
            }
        }
    }

    @Command(
            name = "guardrails",
            mixinStandardHelpOptions = true,
            description = "Guardrails: a deny-list stops a question before the model sees it; an LLM judge (the "
                    + "same model) stops an answer that discloses a phone number and passes a harmless one.")
    static final class Guardrails implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Override
        public Integer call() {
            try (Backend backend = options.backend(GuardrailsBot::replay, spec)) {
                // the blocks are the point of the demo: the exit code is the last question's
                return exitCode(
                        GuardrailsBot.run(
                                        backend,
                                        options.effort(),
                                        spec.commandLine().getOut())
                                .getLast(),
                        spec);
            }
        }
    }

    @Command(
            name = "team",
            mixinStandardHelpOptions = true,
            description = "Several agents: triage hands the customer to billing (functions.transfer_to_billing), "
                    + "which asks a policy agent used as a tool (functions.ask_policy).")
    static final class Team implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--task", paramLabel = "TEXT", description = "What the customer asks.")
        String task = TeamBot.TASK;

        @Option(
                names = "--trace",
                paramLabel = "FILE",
                description =
                        "Write the spans of the run (model calls, " + "tool calls, the handoff) to FILE as JSON lines.")
        Path trace;

        @Override
        public Integer call() throws IOException {
            try (Backend backend = options.backend(TeamBot::replay, spec);
                    java.io.Writer traceOut =
                            trace == null ? java.io.Writer.nullWriter() : Files.newBufferedWriter(trace)) {
                AgentListener tracing = trace == null ? AgentListener.NONE : new JsonLinesTracing(traceOut);
                return exitCode(
                        TeamBot.run(
                                backend,
                                options.effort(),
                                task,
                                spec.commandLine().getOut(),
                                tracing),
                        spec);
            }
        }
    }

    @Command(
            name = "approval",
            mixinStandardHelpOptions = true,
            description = "A person in the loop across time: a refund call suspends the run and is stored with the "
                    + "conversation; a later agent (as another process would) resumes it with the approval.")
    static final class ApprovalDemo implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(
                names = "--session-dir",
                paramLabel = "DIR",
                description = "Where the session is stored (default: a new temporary directory).")
        Path sessions;

        @Override
        public Integer call() throws IOException {
            Path dir = sessions != null ? sessions : Files.createTempDirectory("gptoss-approval");
            try (Backend backend = options.backend(ApprovalBot::replay, spec)) {
                ApprovalBot.Outcome o = ApprovalBot.run(
                        backend,
                        options.effort(),
                        ApprovalBot.TASK,
                        Approval.allow(),
                        dir,
                        new ApprovalBot.Payments(),
                        spec.commandLine().getOut());
                return exitCode(o.resumed() != null ? o.resumed() : o.suspended(), spec);
            }
        }
    }

    @Command(
            name = "weather",
            mixinStandardHelpOptions = true,
            description = "Function calling: get_current_weather(location, unit) once per city, then a comparison. "
                    + "The weather service is a fake one in the example (invented, deterministic readings).")
    static final class Weather implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--task", paramLabel = "TEXT", description = "What to ask (default: the bundled question).")
        String task = WeatherBot.TASK;

        @Override
        public Integer call() {
            try (Backend backend = options.backend(WeatherBot::replay, spec)) {
                return exitCode(
                        WeatherBot.run(
                                backend,
                                options.effort(),
                                task,
                                spec.commandLine().getOut()),
                        spec);
            }
        }
    }

    @Command(
            name = "code",
            mixinStandardHelpOptions = true,
            description = "Code interpreter: the python tool computes the answer in the GraalPy sandbox and writes "
                    + "a CSV file to /mnt/data, which the host reads back (and saves with --out).")
    static final class Code implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--task", paramLabel = "TEXT", description = "What to ask (default: the bundled task).")
        String task = CodeInterpreterBot.TASK;

        @Option(names = "--out", paramLabel = "DIR", description = "Save the files the code wrote here.")
        Path outDir;

        @Option(names = "--tool-timeout", paramLabel = "SECONDS", description = "Per python call (default: 60).")
        double toolTimeout = 60;

        @Override
        public Integer call() throws IOException {
            if (!(toolTimeout > 0)) {
                throw new IllegalArgumentException(
                        "--tool-timeout must be a positive number of seconds, got " + toolTimeout);
            }
            if (outDir != null && Files.exists(outDir) && !Files.isDirectory(outDir)) {
                throw new IllegalArgumentException("--out: " + outDir + " is not a directory");
            }
            PrintWriter out = spec.commandLine().getOut();
            CodeRun run;
            try (Backend backend = options.backend(CodeInterpreterBot::replay, spec)) {
                run = CodeInterpreterBot.run(
                        backend, options.effort(), task, Duration.ofMillis(Math.round(toolTimeout * 1000)), out);
            }
            if (outDir != null) {
                for (Map.Entry<String, byte[]> f : run.files().entrySet()) {
                    // the sandbox's paths are /mnt/data/...; only the part below it is kept, so nothing lands
                    // outside --out
                    Path target = outDir.resolve(f.getKey().substring("/mnt/data/".length()))
                            .normalize();
                    if (!target.startsWith(outDir.normalize())) continue;
                    Files.createDirectories(target.toAbsolutePath().getParent());
                    Files.write(target, f.getValue());
                    out.println("saved " + target);
                }
                out.flush();
            }
            return exitCode(run.result(), spec);
        }
    }

    @Command(
            name = "research",
            mixinStandardHelpOptions = true,
            description = {
                "Research with the browser tool: search, open, read, answer with citations turned into " + "links.",
                "Without --search-url it searches a small offline demo web (pages written for the example, "
                        + "served on a loopback port)."
            })
    static final class Research implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--task", paramLabel = "TEXT", description = "What to ask (default: the bundled question).")
        String task = ResearchBot.TASK;

        @Option(
                names = "--search-url",
                paramLabel = "URL",
                description = "A SearXNG instance's /search endpoint (JSON format enabled), such as "
                        + "http://localhost:8888/search.")
        String searchUrl;

        @Option(
                names = "--allow",
                split = ",",
                paramLabel = "CIDR",
                description = "Address ranges pages may come from besides the public internet, such as "
                        + "127.0.0.1/32 (the browser refuses private and loopback addresses otherwise).")
        List<String> allow = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DemoWeb demo = null;
            try (Backend backend = options.backend(ResearchBot::replay, spec)) {
                List<String> allowed = new ArrayList<>(allow);
                String search = searchUrl;
                if (search == null) {
                    demo = DemoWeb.start();
                    search = demo.searchUrl();
                    allowed.add("127.0.0.1/32");
                    out.println("(searching the offline demo web at " + demo.baseUrl() + ")");
                }
                ResearchRun run = ResearchBot.run(
                        backend,
                        options.effort(),
                        task,
                        new SearxngSearchBackend(search, null, Duration.ofSeconds(30)),
                        NetworkPolicy.allowing(allowed.toArray(String[]::new)),
                        out);
                return exitCode(run.result(), spec);
            } finally {
                if (demo != null) demo.close();
            }
        }
    }

    @Command(
            name = "vision",
            mixinStandardHelpOptions = true,
            description = {
                "Images through a vision hand-off: the image is attached, gpt-oss calls "
                        + "functions.analyze_image, a vision model answers.",
                "Without --vision-base-url an offline colour analyser stands in for the vision model (it reports "
                        + "the colours of each third of the image and ignores the question)."
            })
    static final class Vision implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--image", paramLabel = "FILE", description = "The picture (default: the bundled flag).")
        Path image;

        @Option(names = "--question", paramLabel = "TEXT", description = "What to ask about it.")
        String question = VisionBot.QUESTION;

        @Option(
                names = "--vision-base-url",
                paramLabel = "URL",
                description = "An OpenAI-compatible API with a vision model, such as https://api.openai.com/v1.")
        String visionBaseUrl;

        @Option(
                names = "--vision-model",
                paramLabel = "NAME",
                description = "The vision model (default: " + OpenAiVisionModel.DEFAULT_MODEL + ").")
        String visionModel = OpenAiVisionModel.DEFAULT_MODEL;

        @Option(
                names = "--vision-api-key",
                paramLabel = "KEY",
                description = "API key of the vision API (default: $OPENAI_API_KEY).")
        String visionApiKey;

        @Option(
                names = "--vision-api",
                paramLabel = "chat|responses",
                description = "Which OpenAI API the vision model is asked through (default: chat).")
        String visionApi = "chat";

        @Override
        public Integer call() {
            if (image != null && !Files.isRegularFile(image)) {
                throw new IllegalArgumentException("--image: " + image + " not found");
            }
            Image picture = image == null ? VisionBot.bundledImage() : Image.ofFile(image);
            try (Backend backend = options.backend(VisionBot::replay, spec)) {
                AgentResult r = VisionBot.run(
                        backend,
                        options.effort(),
                        vision(),
                        picture,
                        question,
                        spec.commandLine().getOut());
                return exitCode(r, spec);
            }
        }

        private VisionModel vision() {
            if (visionBaseUrl == null) return new ColourLayoutAnalyser();
            String key = visionApiKey != null ? visionApiKey : System.getenv("OPENAI_API_KEY");
            return OpenAiVisionModel.builder()
                    .baseUrl(visionBaseUrl)
                    .apiKey(key)
                    .model(visionModel)
                    .api(OpenAiVisionModel.Api.parse(visionApi))
                    .build();
        }
    }

    @Command(
            name = "support",
            mixinStandardHelpOptions = true,
            description = "Structured output: a support ticket is triaged into a TicketTriage record (category, "
                    + "priority, summary, needsHuman) after a lookup_order call on a fake order book.")
    static final class Support implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(
                names = "--task",
                paramLabel = "TICKET",
                description = "The customer's message (default: the " + "bundled one).")
        String ticket = SupportBot.TICKET;

        @Override
        public Integer call() {
            try (Backend backend = options.backend(SupportBot::replay, spec)) {
                SupportBot.run(
                        backend, options.effort(), ticket, spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(
            name = "langchain4j",
            mixinStandardHelpOptions = true,
            description = "LangChain4j AiServices: an assistant interface with a @Tool class and chat memory on "
                    + "gpt-oss (the same as `gptoss langchain4j bot`).")
    static final class LangChain4jBot implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Override
        public Integer call() {
            try (Backend backend = options.backend(AiServicesBot::replay, spec)) {
                AiServicesBot.run(backend, options.effort(), spec.commandLine().getOut());
            }
            return 0;
        }
    }
}
