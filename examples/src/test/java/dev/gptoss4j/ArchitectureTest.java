package dev.gptoss4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of all four modules (this module's test class path holds them all): no package cycles, no
 * calls into other libraries' {@code .internal.} packages (they change in any release), and no terminal UI in the
 * library modules. Each rule is also run on a deliberately broken fixture, so a rule that cannot fail is caught.
 */
class ArchitectureTest {

    private static final String FIXTURE = "dev.gptoss4j.archfixture";

    private static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.gptoss4j.(**)")
            .should().beFreeOfCycles();

    private static final ArchRule NO_UI_IN_LIBRARIES = noClasses()
            .that().resideInAnyPackage("dev.gptoss4j.engine..", "dev.gptoss4j.agent..", "dev.gptoss4j.tools..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jline..", "picocli..", "dev.gptoss4j.cli..",
                    "dev.gptoss4j.serve..", "dev.gptoss4j.bench..", "dev.gptoss4j.examples..")
            .because("terminal UI and the app belong in examples; the library modules are embedded in other apps");

    private static JavaClasses production;
    private static JavaClasses fixture;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
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
    void noTerminalUiInTheLibraryModules() {
        NO_UI_IN_LIBRARIES.check(production);
    }

    @Test
    void theCycleRuleCatchesADeliberateCycle() {
        EvaluationResult cycles = NO_PACKAGE_CYCLES.evaluate(fixture);
        assertTrue(cycles.hasViolation(), "the cycle archfixture.a <-> archfixture.b was not reported");
        assertTrue(cycles.getFailureReport().toString().contains("archfixture"), cycles.getFailureReport().toString());
    }
}
