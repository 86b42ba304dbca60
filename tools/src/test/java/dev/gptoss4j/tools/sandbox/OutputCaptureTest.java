package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {

    @Test
    void keepsTheFirstBytesInWriteOrderAndCountsTheRest() throws IOException {
        OutputCapture c = new OutputCapture();
        c.begin(10);
        c.stdout().write("hello ".getBytes(StandardCharsets.UTF_8));
        c.stderr().write("err!".getBytes(StandardCharsets.UTF_8));
        c.stdout().write("dropped".getBytes(StandardCharsets.UTF_8));
        OutputCapture.Captured r = c.end();
        assertEquals("hello err!", r.combined());
        assertEquals("hello ", r.stdout());
        assertEquals("err!", r.stderr());
        assertEquals(7, r.truncatedBytes());

        c.begin(10); // a new call starts empty
        c.stdout().write('x');
        assertEquals(new OutputCapture.Captured("x", "x", "", 0), c.end());
    }
}
