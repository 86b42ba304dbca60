package dev.gptoss4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Use it from Maven", done as a user would: the library is installed with the Maven wrapper into a fresh
 * local repository, then a separate Maven project made of README's dependency block and README's Java program is
 * compiled against those installed artifacts and run with README's JVM flags.
 *
 * <p>The fresh repository is chained in front of the build's own (Maven 3.9's {@code maven.repo.local.tail}), so
 * third-party artifacts are read from there and nothing is downloaded or installed outside the temporary folder.
 * Runs in {@code verify} (Failsafe), not with {@code -Dtest=...}.
 */
class ReadmeConsumerIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("gptoss.version", "0.1.0-SNAPSHOT");

    @TempDir
    Path tmp;

    @Test
    void aSeparateProjectBuildsAndRunsTheReadmeProgramAgainstTheInstalledArtifacts() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Path repo = tmp.resolve("repo");

        maven(
                ROOT,
                "install",
                "-pl",
                "bom,engine,agent",
                "-am",
                "-Dmaven.test.skip=true",
                "-Dmaven.javadoc.skip=true",
                "-Dmaven.repo.local=" + repo);

        Path installed = repo.resolve("dev/gptoss4j/gptoss4j-agent/" + VERSION);
        Path jar = installed.resolve("gptoss4j-agent-" + VERSION + ".jar");
        assertTrue(Files.isRegularFile(jar), "not installed: " + jar);
        assertTrue(Files.isRegularFile(installed.resolve("gptoss4j-agent-" + VERSION + "-sources.jar")));
        assertTrue(
                Files.isRegularFile(
                        repo.resolve("dev/gptoss4j/gptoss4j-bom/" + VERSION + "/gptoss4j-bom-" + VERSION + ".pom")),
                "the BOM was not installed");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals(
                    "dev.gptoss4j.agent", j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }

        Path project = tmp.resolve("consumer");
        String program = block(readme, "readme-java-snippet", "java");
        String mainClass = match(program, "public class (\\w+)");
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("src/main/java/" + mainClass + ".java"), program);
        Files.writeString(project.resolve("pom.xml"), pom(block(readme, "readme-maven-dependencies", "xml")));

        maven(
                project,
                "compile",
                "dependency:build-classpath",
                "-Dmdep.outputFile=classpath.txt",
                "-Dmaven.repo.local=" + repo);
        String classpath = Files.readString(project.resolve("classpath.txt")).strip();
        assertTrue(
                classpath.contains(repo.resolve("dev/gptoss4j/gptoss4j-agent").toString()),
                "the consumer did not use the freshly installed agent: " + classpath);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(readmeJvmFlags(readme));
        command.addAll(List.of("-cp", project.resolve("target/classes") + File.pathSeparator + classpath, mainClass));
        String out = run(project, command);
        assertTrue(out.contains("tool said: sunny, 21 degrees in Oslo"), out);
        assertTrue(out.contains("answer:    It is sunny and 21 degrees in Oslo."), out);
    }

    /** The fenced block of {@code language} right after README's {@code <!-- marker ... -->} comment. */
    private static String block(String readme, String marker, String language) {
        int at = readme.indexOf("<!-- " + marker);
        assertTrue(at >= 0, "README has no <!-- " + marker + " --> block");
        Matcher m = Pattern.compile("```" + language + "\n(.*?)\n```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(m.find(at), "no ```" + language + " block after " + marker);
        return m.group(1) + "\n";
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in\n" + text);
        return m.group(1);
    }

    /** The flags of README's {@code java ... -cp ... } command line. */
    private static List<String> readmeJvmFlags(String readme) {
        String flags = match(readme, "\njava (--add-modules [^\n]*?) -cp ");
        return Arrays.asList(flags.split(" +"));
    }

    private static String pom(String dependencies) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>readme-consumer</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>25</maven.compiler.release>
                    <maven.compiler.parameters>true</maven.compiler.parameters>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <build>
                    <pluginManagement>
                      <plugins>
                        <plugin>
                          <groupId>org.apache.maven.plugins</groupId>
                          <artifactId>maven-compiler-plugin</artifactId>
                          <version>3.14.0</version>
                        </plugin>
                        <plugin>
                          <groupId>org.apache.maven.plugins</groupId>
                          <artifactId>maven-resources-plugin</artifactId>
                          <version>3.3.1</version>
                        </plugin>
                        <plugin>
                          <groupId>org.apache.maven.plugins</groupId>
                          <artifactId>maven-dependency-plugin</artifactId>
                          <version>3.9.0</version>
                        </plugin>
                      </plugins>
                    </pluginManagement>
                  </build>
                </project>
                """.formatted(dependencies);
    }

    /** Runs the Maven wrapper in {@code dir}, on this JDK, reading third-party artifacts from the build's repo. */
    private static void maven(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-q"));
        if (Boolean.getBoolean("gptoss.offline")) command.add("-o"); // mvn ... -Dgptoss.offline=true
        String tail = System.getProperty(
                "gptoss.m2",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        command.add("-Dmaven.repo.local.tail=" + tail);
        command.addAll(List.of(args));
        run(dir, command);
    }

    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_ARGS");
        pb.environment().put("MAVEN_OPTS", "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow");
        Path log = Files.createTempFile("gptoss-consumer", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertTrue(done, "timed out: " + command + "\n" + out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
