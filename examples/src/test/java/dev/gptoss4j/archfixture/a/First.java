package dev.gptoss4j.archfixture.a;

import dev.gptoss4j.archfixture.b.Second;

/** Half of a deliberate package cycle: proves that {@code ArchitectureTest}'s cycle rule can fail. */
public final class First {
    Second next;
}
