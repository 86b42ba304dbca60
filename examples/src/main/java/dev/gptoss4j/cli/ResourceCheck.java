package dev.gptoss4j.cli;

import dev.gptoss4j.agent.hub.DownloadPlan;
import dev.gptoss4j.agent.hub.FileMetadata;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether this machine can hold a model, checked before it is downloaded or loaded, so that a 120b on a 24 GB
 * laptop is a plain sentence rather than minutes of download and a swapping machine. {@code
 * GPTOSS_SKIP_RESOURCE_CHECK=1} turns it off (the weights are memory-mapped, so a model larger than memory does
 * run, slowly).
 */
final class ResourceCheck {

    static final String SKIP = "GPTOSS_SKIP_RESOURCE_CHECK";

    // Beyond the weights: the KV cache, activations, the JVM. A tenth of the weights and half a GiB covers a
    // default 8192-token session of either gpt-oss size.
    private static final long FIXED_OVERHEAD = 512L << 20;

    private ResourceCheck() {}

    /** Memory the engine needs to run weights of {@code weightBytes} without paging. */
    static long memoryNeeded(long weightBytes) {
        return weightBytes + weightBytes / 10 + FIXED_OVERHEAD;
    }

    /** Refuses when {@code what}, with weights of {@code weightBytes}, needs more memory than the machine has. */
    static void memory(String what, long weightBytes, CliEnvironment env) {
        if (env.flag(SKIP)) return;
        long need = memoryNeeded(weightBytes);
        long have = env.machine().memoryBytes();
        if (have <= 0 || need <= have) return;
        throw new CommandRefused(what + " does not fit this machine: it needs about " + ProgressBar.bytes(need)
                + " of memory (" + ProgressBar.bytes(weightBytes) + " of weights) and this machine has "
                + ProgressBar.bytes(have) + "; use a smaller model, or a server that runs this one with --base-url URL "
                + "--model NAME (" + SKIP + "=1 tries anyway)");
    }

    /** Refuses when {@code plan}'s missing files do not fit the free space of its cache's disk. */
    static void disk(DownloadPlan plan, CliEnvironment env) {
        if (env.flag(SKIP)) return;
        long need = plan.bytesToFetch();
        long free = env.machine().freeBytes(plan.cacheDir());
        if (need <= free) return;
        throw new CommandRefused("downloading " + plan.repo() + " needs " + ProgressBar.bytes(need) + " in "
                + plan.cacheDir() + " and its disk has " + ProgressBar.bytes(free) + " free; free some space, point "
                + "HF_HUB_CACHE at a disk with room, or use a server that runs the model with --base-url URL --model "
                + "NAME (" + SKIP + "=1 tries anyway)");
    }

    /** The bytes of weights {@code plan} brings (safetensors and GGUF files). */
    static long weightBytes(DownloadPlan plan) {
        long sum = 0;
        for (Map.Entry<String, FileMetadata> e : plan.files().entrySet()) {
            if (isWeights(e.getKey()) && e.getValue().size() > 0)
                sum += e.getValue().size();
        }
        return sum;
    }

    /** The bytes of weights at {@code model}: a file's size, or a checkpoint folder's safetensors and GGUF files. */
    static long weightBytes(Path model) {
        try {
            if (!Files.isDirectory(model)) return Files.size(model);
            long sum = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(model)) {
                for (Path f : files) {
                    if (isWeights(f.getFileName().toString()) && Files.isRegularFile(f)) sum += Files.size(f);
                }
            }
            return sum;
        } catch (IOException e) {
            return 0; // unreadable: the load says what is wrong with it
        }
    }

    private static boolean isWeights(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".gguf");
    }
}
