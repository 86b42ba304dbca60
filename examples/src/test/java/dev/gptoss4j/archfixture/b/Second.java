package dev.gptoss4j.archfixture.b;

import dev.gptoss4j.archfixture.a.First;

/** The other half of the deliberate cycle (see {@link First}). */
public final class Second {
    First back;
}
