package dev.gptoss4j.agent.hub;

import java.nio.file.Files;
import java.nio.file.Path;

/** Builds an Ollama model store on disk as {@code ollama pull} leaves it. */
final class FakeOllama {

    private FakeOllama() {}

    /** Adds {@code model:tag} whose model layer is a GGUF blob of {@code size} bytes; returns the blob. */
    static Path model(Path root, String model, String tag, int size) throws Exception {
        byte[] gguf = FakeHub.random(size, model.hashCode() + tag.hashCode());
        gguf[0] = 'G';
        gguf[1] = 'G';
        gguf[2] = 'U';
        gguf[3] = 'F';
        String digest = FakeHub.sha256(gguf);
        byte[] license = "Apache-2.0".getBytes();
        String licenseDigest = FakeHub.sha256(license);
        Path blobs = Files.createDirectories(root.resolve("blobs"));
        Path blob = Files.write(blobs.resolve("sha256-" + digest), gguf);
        Files.write(blobs.resolve("sha256-" + licenseDigest), license);
        Path manifest = root.resolve("manifests/registry.ollama.ai/library")
                .resolve(model)
                .resolve(tag);
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":10},
                 "layers":[
                  {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%d},
                  {"mediaType":"application/vnd.ollama.image.license","digest":"sha256:%s","size":%d}]}
                """.formatted(licenseDigest, digest, size, licenseDigest, license.length));
        return blob;
    }
}
