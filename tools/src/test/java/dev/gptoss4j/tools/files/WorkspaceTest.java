package dev.gptoss4j.tools.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace boundary: everything that would reach outside the root is refused, naming the path. */
class WorkspaceTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private Workspace ws;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(tmp.resolve("work"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret\n");
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        ws = new Workspace(root);
    }

    private String refused(Runnable r) {
        return assertThrows(WorkspaceException.class, r::run).getMessage();
    }

    @Test
    void readsWritesAndListsInside() {
        assertEquals("hello\n", ws.read("hello.txt"));
        ws.write("src/app/main.py", "print('hi')\n");
        assertEquals("print('hi')\n", ws.read("./src/app/../app/main.py"));
        assertEquals(List.of("hello.txt", "src/", "src/app/", "src/app/main.py"), ws.list(".", true, 100));
        assertEquals(List.of("hello.txt", "src/"), ws.list(null, false, 100));
        ws.delete("hello.txt");
        assertFalse(Files.exists(root.resolve("hello.txt")));
    }

    @Test
    void dotDotAndAbsolutePathsAreRefused() {
        assertEquals(
                "`../outside/secret.txt` leads outside the workspace", refused(() -> ws.read("../outside/secret.txt")));
        assertEquals("`a/../../x` leads outside the workspace", refused(() -> ws.write("a/../../x", "x")));
        assertEquals(
                "`/etc/passwd` is an absolute path; give a path relative to the workspace",
                refused(() -> ws.read("/etc/passwd")));
        assertEquals(
                "`" + outside.resolve("secret.txt") + "` is an absolute path; give a path relative to the workspace",
                refused(() -> ws.write(outside.resolve("secret.txt").toString(), "pwned")));
        assertEquals("`~/x` is an absolute path; give a path relative to the workspace", refused(() -> ws.read("~/x")));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void symlinksLeadingOutsideAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet.txt"));
        Files.createSymbolicLink(root.resolve("inner.txt"), root.resolve("hello.txt"));

        assertEquals(
                "`link.txt` leads outside the workspace through a symbolic link", refused(() -> ws.read("link.txt")));
        assertEquals(
                "`link.txt` leads outside the workspace through a symbolic link",
                refused(() -> ws.write("link.txt", "pwned")));
        assertEquals(
                "`linkdir/secret.txt` leads outside the workspace through a symbolic link",
                refused(() -> ws.read("linkdir/secret.txt")));
        assertEquals(
                "`linkdir/new.txt` leads outside the workspace through a symbolic link",
                refused(() -> ws.write("linkdir/new.txt", "pwned")));
        assertEquals(
                "`linkdir/deeper/new.txt` leads outside the workspace through a symbolic link",
                refused(() -> ws.write("linkdir/deeper/new.txt", "pwned")));
        assertEquals(
                "`dangling` goes through a symbolic link whose target does not exist",
                refused(() -> ws.write("dangling", "pwned")));
        assertEquals(
                "`linkdir` leads outside the workspace through a symbolic link",
                refused(() -> ws.list("linkdir", false, 10)));
        assertEquals("top secret\n", Files.readString(outside.resolve("secret.txt")));
        assertFalse(Files.exists(outside.resolve("new.txt")) || Files.exists(outside.resolve("not-yet.txt")));
        // a link that stays inside is fine
        assertEquals("hello\n", ws.read("inner.txt"));
    }

    @Test
    void otherBadInputsGetClearErrors() throws Exception {
        Files.write(root.resolve("blob.bin"), new byte[] {1, 0, 2});
        assertEquals("`blob.bin` is a binary file", refused(() -> ws.read("blob.bin")));
        assertEquals("`missing.txt` does not exist", refused(() -> ws.read("missing.txt")));
        assertEquals("a path is required", refused(() -> ws.read(" ")));
        ws.write("d/f.txt", "x");
        assertEquals("`d` is a directory, not a file", refused(() -> ws.read("d")));
        Workspace small = new Workspace(root, 3);
        assertEquals(
                "`hello.txt` is 6 bytes, more than the 3 bytes that can be read",
                refused(() -> small.read("hello.txt")));
        assertThrows(IllegalArgumentException.class, () -> new Workspace(root.resolve("nope")));
    }
}
