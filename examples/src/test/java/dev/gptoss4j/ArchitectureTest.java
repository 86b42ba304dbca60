package dev.gptoss4j;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of all four modules (this module's test class path holds them all): no package cycles, no
 * calls into other libraries' {@code .internal.} packages (they change in any release), and no terminal UI in the
 * library modules. Each rule is also run on a deliberately broken fixture, so a rule that cannot fail is caught.
 */
class ArchitectureTest {

    private static final String FIXTURE = "dev.gptoss4j.archfixture";

    private static final ArchRule NO_PACKAGE_CYCLES =
            slices().matching("dev.gptoss4j.(**)").should().beFreeOfCycles();

    private static final ArchRule NO_OTHER_LIBRARIES_INTERNALS = noClasses()
            .that()
            .resideInAPackage("dev.gptoss4j..")
            .should()
            .dependOnClassesThat(resideInAPackage("..internal..").and(not(resideInAPackage("dev.gptoss4j.."))))
            .because("another library's .internal. package is not its API and changes in any release");

    private static final ArchRule NO_UI_IN_LIBRARIES = noClasses()
            .that()
            .resideInAnyPackage("dev.gptoss4j.engine..", "dev.gptoss4j.agent..", "dev.gptoss4j.tools..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.jline..",
                    "picocli..",
                    "dev.gptoss4j.cli..",
                    "dev.gptoss4j.serve..",
                    "dev.gptoss4j.bench..",
                    "dev.gptoss4j.examples..")
            .because("terminal UI and the app belong in examples; the library modules are embedded in other apps");

    private static JavaClasses production;
    private static JavaClasses fixture;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gptoss4j");
        fixture = new ClassFileImporter().importPackages(FIXTURE);
    }

    @Test
    void allFourModulesAreChecked() {
        for (String pkg : List.of("engine", "agent", "tools", "cli")) {
            assertTrue(production.containPackage("dev.gptoss4j." + pkg), "no classes imported from " + pkg);
        }
        assertFalse(production.containPackage(FIXTURE), "test fixtures leaked into the production classes");
    }

    @Test
    void packagesHaveNoCycles() {
        NO_PACKAGE_CYCLES.check(production);
    }

    @Test
    void noOtherLibrarysInternalPackages() {
        NO_OTHER_LIBRARIES_INTERNALS.check(production);
    }

    @Test
    void noTerminalUiInTheLibraryModules() {
        NO_UI_IN_LIBRARIES.check(production);
    }

    /**
     * Harmony's channel names are spelled once, in {@link dev.gptoss4j.engine.harmony.Channel}; a raw
     * {@code "analysis"} elsewhere is how two spellings drift apart. (The constants are inlined into class files, so
     * this reads the sources.) {@code "final"} as a JSON key of the CLI's output is not a channel.
     */
    @Test
    void channelNamesAreSpelledOnlyInChannel() throws IOException {
        Pattern raw = Pattern.compile("\"(analysis|commentary|final)\"");
        List<String> found = new ArrayList<>();
        for (String module : List.of("../engine", "../agent", "../tools", ".")) {
            Path sources = Path.of(module, "src/main/java");
            assertTrue(Files.isDirectory(sources), "no sources at " + sources.toAbsolutePath());
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                    if (f.endsWith("harmony/Channel.java")) continue;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (raw.matcher(line).find() && !line.contains("put(\"final\", ")) {
                            found.add(f + ":" + (i + 1) + ": " + line.strip());
                        }
                    }
                }
            }
        }
        assertTrue(
                found.isEmpty(),
                "raw channel names (use Channel.ANALYSIS/COMMENTARY/FINAL):\n" + String.join("\n", found));
    }

    @Test
    void theRulesCatchADeliberateCycleAndAnInternalImport() {
        EvaluationResult cycles = NO_PACKAGE_CYCLES.evaluate(fixture);
        assertTrue(cycles.hasViolation(), "the cycle archfixture.a <-> archfixture.b was not reported");
        assertTrue(
                cycles.getFailureReport().toString().contains("archfixture"),
                cycles.getFailureReport().toString());
        EvaluationResult internals = NO_OTHER_LIBRARIES_INTERNALS.evaluate(fixture);
        assertTrue(internals.hasViolation(), "the call into dev.langchain4j.internal was not reported");
    }
}
