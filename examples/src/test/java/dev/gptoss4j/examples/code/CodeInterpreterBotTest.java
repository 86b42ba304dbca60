package dev.gptoss4j.examples.code;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.cli.CliRun;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeInterpreterBotTest {

    /** The table the model's code should have written, computed here independently. */
    private static String expectedCsv() {
        StringBuilder sb = new StringBuilder("year,balance\n");
        double balance = 1000;
        for (int year = 1; balance < 2000; year++) {
            balance *= 1.05;
            // Python rounds the exact binary value (1157.624999... -> 1157.62); so does BigDecimal(double)
            sb.append(year)
                    .append(',')
                    .append(new BigDecimal(balance).setScale(2, RoundingMode.HALF_EVEN))
                    .append('\n');
        }
        return sb.toString();
    }

    @Test
    void pythonComputesTheAnswerAndTheHostReadsTheFileItWrote(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("saved");
        CliRun.Outcome o = CliRun.run("bots", "code", "--out", saved.toString());
        assertEquals(0, o.code(), o.err() + o.out());
        // the sandbox's real output: 15 years, the last balance
        assertTrue(o.out().contains("-> 15 2078.93\n"), o.out());
        // the file the code wrote in /mnt/data, read back from the sandbox and saved by the host
        String csv = Files.readString(saved.resolve("balance.csv"));
        assertEquals(expectedCsv(), csv);
        assertTrue(
                o.out().contains("--- /mnt/data/balance.csv (" + csv.length() + " bytes, read from the sandbox)"),
                o.out());
        assertTrue(o.out().contains("saved " + saved.resolve("balance.csv")), o.out());
    }
}
