package dev.gptoss4j.tools.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply_patch format: parsing, applying, and errors that name the file and hunk. */
class PatchTest {

    @TempDir
    Path root;

    private Workspace ws;

    private static final String APP = """
            import sys


            def greet():
                print("Hi")


            def main():
                greet()
                return 0


            if __name__ == "__main__":
                sys.exit(main())
            """;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/app.py"), APP);
        Files.writeString(root.resolve("obsolete.txt"), "old\n");
        ws = new Workspace(root);
    }

    private List<String> apply(String patch) {
        return PatchApplier.apply(PatchParser.parse(patch), ws);
    }

    @Test
    void theSpecExampleAddsMovesUpdatesAndDeletes() throws Exception {
        List<String> summary = apply("""
                *** Begin Patch
                *** Add File: hello.txt
                +Hello world
                *** Update File: src/app.py
                *** Move to: src/main.py
                @@ def greet():
                -    print("Hi")
                +    print("Hello, world!")
                *** Delete File: obsolete.txt
                *** End Patch
                """);
        assertEquals(List.of("A hello.txt", "M src/main.py (moved from src/app.py)", "D obsolete.txt"), summary);
        assertEquals("Hello world\n", Files.readString(root.resolve("hello.txt")));
        assertEquals(
                APP.replace("print(\"Hi\")", "print(\"Hello, world!\")"),
                Files.readString(root.resolve("src/main.py")));
        assertFalse(Files.exists(root.resolve("src/app.py")));
        assertFalse(Files.exists(root.resolve("obsolete.txt")));
    }

    @Test
    void severalHunksWithContextAndEndOfFile() throws Exception {
        apply("""
                *** Begin Patch
                *** Update File: src/app.py
                @@
                 import sys
                +import os


                @@ def main():
                     greet()
                -    return 0
                +    return 1
                @@
                 if __name__ == "__main__":
                -    sys.exit(main())
                +    raise SystemExit(main())
                *** End of File
                *** End Patch""");
        String expected = APP.replace("import sys\n", "import sys\nimport os\n")
                .replace("return 0", "return 1")
                .replace("sys.exit(main())", "raise SystemExit(main())");
        assertEquals(expected, Files.readString(root.resolve("src/app.py")));
    }

    @Test
    void whitespaceDifferencesInContextAreForgiven() throws Exception {
        apply(
                "*** Begin Patch\r\n*** Update File: src/app.py\r\n@@\r\n def main():   \r\n-  greet()\r\n+  greet()\r\n+  greet()\r\n*** End Patch\r\n");
        assertTrue(
                Files.readString(root.resolve("src/app.py"))
                        .contains("\ndef main():\n  greet()\n  greet()\n    return 0\n"),
                "context lines keep the file's text; only the changed lines come from the patch");
    }

    @Test
    void missingContextNamesFileAndHunkAndChangesNothing() throws Exception {
        String msg = assertThrows(PatchException.class, () -> apply("""
                *** Begin Patch
                *** Add File: new.txt
                +x
                *** Update File: src/app.py
                @@
                -    print("Hi")
                +    print("Hey")
                @@
                -    return 42
                +    return 0
                *** End Patch""")).getMessage();
        assertEquals(
                "Update File: src/app.py, hunk 2 (patch line 8): context not found after line 6; these lines "
                        + "are not in the file:\n    return 42",
                msg);
        assertFalse(Files.exists(root.resolve("new.txt")), "nothing is written when any part fails");
        assertEquals(APP, Files.readString(root.resolve("src/app.py")));
    }

    @Test
    void malformedPatchesAreExplained() {
        assertEquals(
                "the patch must start with a `*** Begin Patch` line",
                assertThrows(PatchException.class, () -> PatchParser.parse("--- a/x\n+++ b/x"))
                        .getMessage());
        assertEquals(
                "the patch must end with a `*** End Patch` line",
                assertThrows(PatchException.class, () -> PatchParser.parse("*** Begin Patch\n*** Add File: a\n+x"))
                        .getMessage());
        assertEquals(
                "Add File: a, line 3: every line of a new file starts with '+', found: x",
                assertThrows(
                                PatchException.class,
                                () -> PatchParser.parse("*** Begin Patch\n*** Add File: a\nx\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "Update File: a, line 4: a hunk line starts with ' ', '-' or '+', found: ?odd",
                assertThrows(
                                PatchException.class,
                                () -> PatchParser.parse("*** Begin Patch\n*** Update File: a\n@@\n?odd\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "line 2: expected `*** Add File:`, `*** Delete File:` or `*** Update File:`, found: *** Frobnicate: a",
                assertThrows(
                                PatchException.class,
                                () -> PatchParser.parse("*** Begin Patch\n*** Frobnicate: a\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "the patch changes a twice",
                assertThrows(
                                PatchException.class,
                                () -> PatchParser.parse(
                                        "*** Begin Patch\n*** Delete File: a\n*** Delete File: a\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "Update File: a has no hunks",
                assertThrows(
                                PatchException.class,
                                () -> PatchParser.parse("*** Begin Patch\n*** Update File: a\n*** End Patch"))
                        .getMessage());
    }

    @Test
    void fileLevelErrorsNameTheOperation() {
        assertEquals(
                "Add File: src/app.py: the file already exists",
                assertThrows(
                                PatchException.class,
                                () -> apply("*** Begin Patch\n*** Add File: src/app.py\n+x\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "Update File: nope.py: no such file",
                assertThrows(
                                PatchException.class,
                                () -> apply("*** Begin Patch\n*** Update File: nope.py\n@@\n-a\n+b\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "Delete File: nope.txt: no such file",
                assertThrows(
                                PatchException.class,
                                () -> apply("*** Begin Patch\n*** Delete File: nope.txt\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "Add File: ../escape.txt: `../escape.txt` leads outside the workspace",
                assertThrows(
                                PatchException.class,
                                () -> apply("*** Begin Patch\n*** Add File: ../escape.txt\n+x\n*** End Patch"))
                        .getMessage());
        assertEquals(
                "Delete File: /etc/passwd: `/etc/passwd` is an absolute path; give a path relative to the workspace",
                assertThrows(
                                PatchException.class,
                                () -> apply("*** Begin Patch\n*** Delete File: /etc/passwd\n*** End Patch"))
                        .getMessage());
        assertFalse(Files.exists(root.getParent().resolve("escape.txt")));
    }

    @Test
    void aPatchWhoseThirdFileFailsLeavesTheFirstTwoUntouched() throws Exception {
        PatchException e = assertThrows(PatchException.class, () -> apply("""
                *** Begin Patch
                *** Update File: src/app.py
                @@
                -    print("Hi")
                +    print("Hey")
                *** Delete File: obsolete.txt
                *** Add File: obsolete.txt/inside.txt
                +a file under what is a file
                *** End Patch"""));
        assertEquals(
                "Add File: obsolete.txt/inside.txt: `obsolete.txt/inside.txt` cannot be created: `obsolete.txt` "
                        + "is a file",
                e.getMessage());
        assertEquals(APP, Files.readString(root.resolve("src/app.py")));
        assertEquals("old\n", Files.readString(root.resolve("obsolete.txt")));
    }

    @Test
    void aFailureWhileWritingIsRolledBack() throws Exception {
        // Every check passes, but the file system refuses the last name (longer than NAME_MAX) when it is written.
        String tooLong = "n".repeat(300) + ".txt";
        PatchException e = assertThrows(
                PatchException.class,
                () -> apply("*** Begin Patch\n"
                        + "*** Update File: src/app.py\n@@\n-    print(\"Hi\")\n+    print(\"Hey\")\n"
                        + "*** Delete File: obsolete.txt\n"
                        + "*** Add File: docs/new/readme.txt\n+new\n"
                        + "*** Add File: " + tooLong + "\n+x\n"
                        + "*** End Patch"));
        assertTrue(
                e.getMessage().startsWith("the patch could not be applied: `" + tooLong + "` cannot be written"),
                e.getMessage());
        assertTrue(
                e.getMessage().endsWith("the files changed before that were restored, so nothing was changed"),
                e.getMessage());
        assertEquals(APP, Files.readString(root.resolve("src/app.py")));
        assertEquals("old\n", Files.readString(root.resolve("obsolete.txt")));
        assertFalse(Files.exists(root.resolve("docs")), "the directories the patch created are gone");
    }
}
