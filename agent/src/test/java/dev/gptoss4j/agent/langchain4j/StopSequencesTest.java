package dev.gptoss4j.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopSequencesTest {

    @Test
    void aStopSplitAcrossDeltasIsCaughtAndNeverReleased() {
        StopSequences s = new StopSequences(List.of("###", "STOP"));
        StringBuilder shown = new StringBuilder();
        for (String d : List.of("Hello", " wor", "ld S", "TO", "P and more")) shown.append(s.accept(d));
        assertTrue(s.stopped());
        assertEquals("Hello world ", s.text());
        assertEquals("Hello world ", shown.toString());
        assertEquals("", s.accept("ignored"));
    }

    @Test
    void withoutAStopEverythingIsReleasedByTheEnd() {
        StopSequences s = new StopSequences(List.of("STOP"));
        StringBuilder shown = new StringBuilder();
        for (String d : List.of("ST", "OR", "Y S", "T")) shown.append(s.accept(d));
        assertEquals("STORY ", shown.toString(), "\"S\" and \"ST\" could still begin STOP");
        shown.append(s.flush());
        assertEquals("STORY ST", shown.toString());
        assertFalse(s.stopped());
    }
}
