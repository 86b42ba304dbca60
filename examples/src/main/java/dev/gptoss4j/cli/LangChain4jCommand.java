package dev.gptoss4j.cli;

import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.langchain4j.AgentWithLangChain4jTools;
import dev.gptoss4j.examples.langchain4j.AiServicesBot;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss langchain4j bot|agent}: the two LangChain4j examples, on the bundled replays or a real model. */
@Command(
        name = "langchain4j",
        description = "LangChain4j examples: an AiServices bot on gpt-oss, and the agent with LangChain4j tools.",
        mixinStandardHelpOptions = true,
        subcommands = {LangChain4jCommand.Bot.class, LangChain4jCommand.AgentExample.class})
public final class LangChain4jCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where completions come from, shared by both examples. */
    static class ModelOptions {
        @CommandLine.Mixin
        ModelOption model = new ModelOption();

        @Option(
                names = "--replay",
                paramLabel = "FILE",
                description = "Replay these recorded completions instead of the bundled ones.")
        Path replay;

        @Option(names = "--effort", paramLabel = "LEVEL", description = "Reasoning effort: low, medium or high.")
        String effort = "low";

        Backend backend(Supplier<Backend> bundled, CommandLine.Model.CommandSpec spec) {
            if (model.given() && replay != null)
                throw new IllegalArgumentException("give --model or --replay, not both");
            if (model.given()) {
                return LocalEngineBackend.load(model.resolve(spec), BackendOptions.SAMPLING, SessionOptions.defaults());
            }
            if (replay != null) {
                if (!Files.isRegularFile(replay)) {
                    throw new IllegalArgumentException("--replay: " + replay + " not found");
                }
                return ReplayBackend.fromFile(replay);
            }
            return bundled.get();
        }

        ReasoningEffort effort() {
            return ReasoningEffort.parse(effort);
        }
    }

    @Command(
            name = "bot",
            mixinStandardHelpOptions = true,
            description = "An AiServices assistant (a @Tool class, chat memory) on gpt-oss; two questions.")
    static final class Bot implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Backend backend = options.backend(AiServicesBot::replay, spec)) {
                AiServicesBot.run(backend, options.effort(), out);
            }
            return 0;
        }
    }

    @Command(
            name = "agent",
            mixinStandardHelpOptions = true,
            description = "The gptoss4j agent with LangChain4j tools (a @Tool class, a ToolSpecification and "
                    + "ToolExecutor, MCP server tools with --mcp).")
    static final class AgentExample implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(
                names = "--mcp",
                paramLabel = "URL",
                description = "An MCP server's streamable HTTP endpoint whose tools the agent gets too.")
        String mcp;

        @Option(names = "--task", paramLabel = "TEXT", description = "What to ask (default: the bundled task).")
        String task = AgentWithLangChain4jTools.TASK;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Backend backend = options.backend(AgentWithLangChain4jTools::replay, spec)) {
                AgentResult r = AgentWithLangChain4jTools.run(backend, options.effort(), mcp, task, out);
                if (!r.completed()) {
                    spec.commandLine()
                            .getErr()
                            .println("gptoss langchain4j agent: stopped without an answer: " + r.stopReason());
                    return 1;
                }
            }
            return 0;
        }
    }
}
