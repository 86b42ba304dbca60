package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guest code trying to change the host's disk: the language home (standard library, site-packages), the Truffle
 * resource cache with its native libraries, the temp directory, the home directory and the working directory.
 * Every attempt must be refused, and the host files must be byte-identical afterwards.
 */
class HostDiskAttackTest {

    private final String marker =
            "gptoss-attack-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void writesCreatesDeletesRenamesAndChmodsOutsideMntDataAreRefusedAndTheHostIsUnchanged() throws Exception {
        try (SandboxSession s =
                PythonSandbox.builder().timeout(Duration.ofSeconds(60)).build().openSession()) {
            Path stdlib = Path.of(
                    unquote(s.execute("import os\nos.path.dirname(os.__file__)").output()));
            assertTrue(Files.isRegularFile(stdlib.resolve("os.py")), "not the host's standard library: " + stdlib);
            Path cache = resourceCacheOf(stdlib);
            Path nativeLibrary;
            try (Stream<Path> files = Files.walk(cache)) {
                nativeLibrary = files.filter(p -> p.toString().endsWith(".so"))
                        .findFirst()
                        .orElse(null);
            }
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Path home = Path.of(System.getProperty("user.home"));
            Path cwd = Path.of(System.getProperty("user.dir"));
            Map<String, String> before = fingerprint(cache);

            assertEquals(
                    ErrorKind.NONE,
                    s.execute("import os, shutil, pathlib, tempfile\n"
                                    + "S = " + quote(stdlib) + "\nSP = S + '/site-packages'\nM = " + quote(marker)
                                    + "\n"
                                    + "SO = " + (nativeLibrary == null ? "None" : quote(nativeLibrary)) + "\n"
                                    + "TMP, HOME, CWD = " + quote(tmp) + ", " + quote(home) + ", " + quote(cwd) + "\n"
                                    + "with open('/mnt/data/planted.py', 'w') as f:\n    f.write('PLANTED = True')")
                            .errorKind());
            List<String> attacks = new ArrayList<>(List.of(
                    // the standard library and site-packages
                    "open(S + '/' + M + '.py', 'w').write('X = 1')",
                    "open(S + '/os.py', 'a').write('\\nimport sys')",
                    "open(S + '/os.py', 'r+').write('#')",
                    "os.open(S + '/' + M, os.O_CREAT | os.O_WRONLY)",
                    "os.truncate(S + '/this.py', 0)",
                    "os.remove(S + '/this.py')",
                    "os.unlink(S + '/antigravity.py')",
                    "os.rename(S + '/this.py', S + '/that.py')",
                    "os.replace(S + '/this.py', '/mnt/data/this.py')",
                    "os.rename('/mnt/data/planted.py', SP + '/' + M + '.py')",
                    "os.chmod(S + '/os.py', 0o777)",
                    "os.utime(S + '/os.py', (0, 0))",
                    "os.mkdir(SP + '/' + M)",
                    "os.makedirs(S + '/' + M + '/a/b')",
                    "os.rmdir(SP)",
                    "os.symlink('/mnt/data/planted.py', SP + '/' + M + '.py')",
                    "os.link(S + '/os.py', SP + '/' + M + '.py')",
                    "shutil.copy('/mnt/data/planted.py', SP + '/' + M + '.py')",
                    "shutil.copytree('/mnt/data', S + '/' + M)",
                    "shutil.rmtree(S + '/json')",
                    "shutil.move(S + '/this.py', '/mnt/data/moved.py')",
                    "pathlib.Path(S, M + '.py').write_text('X = 1')",
                    "pathlib.Path(S, M).touch()",
                    "pathlib.Path(S, 'this.py').unlink()",
                    "pathlib.Path(S, 'this.py').write_bytes(b'')",
                    "pathlib.Path(SP, M).mkdir()",
                    // temp, home and the host's working directory
                    "open(TMP + '/' + M, 'w').write('x')",
                    "os.mkdir('/tmp/' + M)",
                    "tempfile.mkstemp(dir='/tmp')",
                    "open(HOME + '/' + M, 'w').write('x')",
                    "open(CWD + '/' + M, 'w').write('x')",
                    "open('../../tmp/' + M, 'w').write('x')",
                    "os.chdir(CWD)"));
            if (nativeLibrary != null) {
                // The cached native libraries: overwriting one made a later JVM run the guest's code.
                attacks.add("open(SO, 'r+b').write(b'\\x7fELF')");
                attacks.add("open(SO, 'wb').close()");
                attacks.add("os.remove(SO)");
                attacks.add("os.rename(SO, SO + '.old')");
            }
            List<String> held = new ArrayList<>();
            for (String attack : attacks) {
                ExecutionResult r = s.execute(attack);
                if (r.errorKind() != ErrorKind.EXCEPTION || !r.output().contains("Error")) {
                    held.add(attack + "\n  -> " + r.errorKind() + ": " + r.output());
                }
            }
            assertEquals(List.of(), held, "attacks that were not refused");
            // '~' is the guest's own directory, not the host account's: a write there stays in the volume
            assertEquals(
                    "('/mnt/data', '/mnt/data')",
                    s.execute("open(os.path.expanduser('~/' + M), 'w').write('x')\n"
                                    + "pathlib.Path.home().joinpath(M).write_text('x')\n"
                                    + "os.path.expanduser('~'), str(pathlib.Path.home())")
                            .output());

            assertEquals(before, fingerprint(cache), "the host's language files changed");
            for (Path dir : List.of(tmp, home, cwd, Path.of("/tmp"))) {
                assertFalse(Files.exists(dir.resolve(marker)), "the guest created " + dir.resolve(marker));
            }
            assertEquals(
                    "'PLANTED = True'",
                    s.execute("open('/mnt/data/planted.py').read()").output());
        }
    }

    @Test
    void aModulePlantedByOneRunIsNotImportedByALaterSandbox() throws Exception {
        String module = marker.replace('-', '_');
        try (SandboxSession first =
                PythonSandbox.builder().timeout(Duration.ofSeconds(60)).build().openSession()) {
            ExecutionResult plant = first.execute("import os, sys, json, builtins\nsource = 'PLANTED = True'\n"
                    + "for d in sys.path + [os.path.join(sys.path[0], 'site-packages'), os.getcwd()]:\n"
                    + "    try:\n"
                    + "        with open(os.path.join(d, '" + module + ".py'), 'w') as f:\n"
                    + "            f.write(source)\n"
                    + "    except OSError:\n"
                    + "        pass\n"
                    + "sys.path.insert(0, '/mnt/data')\n"
                    + "import " + module + "\n"
                    + "planted = " + module + ".PLANTED\n"
                    + "sys.modules['json'] = type(sys)('json')\n"
                    + "builtins.len = lambda x: 0\n"
                    + "planted");
            // Inside its own session the code may import what it wrote to its own /mnt/data: that is its notebook.
            assertEquals("True", plant.output());
        }
        // A later sandbox, on a new engine whose contexts are built after the attack, sees a clean library.
        try (SandboxPool pool = SandboxPool.create(0);
                SandboxSession later = PythonSandbox.builder()
                        .pool(pool)
                        .timeout(Duration.ofSeconds(60))
                        .build()
                        .openSession()) {
            ExecutionResult imported = later.execute("import " + module);
            assertEquals(ErrorKind.EXCEPTION, imported.errorKind(), imported.output());
            assertTrue(
                    imported.output().contains("ModuleNotFoundError: No module named '" + module + "'"),
                    imported.output());
            assertEquals(
                    "('[1]', 3)",
                    later.execute("import json\njson.dumps([1]), len('abc')").output());
        }
    }

    /** The Truffle resource cache directory holding the language home, or the language home itself. */
    private static Path resourceCacheOf(Path stdlib) {
        for (Path p = stdlib; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("org.graalvm.polyglot")) {
                return p;
            }
        }
        return stdlib.getParent().getParent(); // lib/python3.x -> the python home
    }

    /** Every file and directory under root, files with their SHA-256: a created, deleted or changed one shows. */
    private static Map<String, String> fingerprint(Path root) throws IOException, NoSuchAlgorithmException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(key, "dir");
                } else {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = Files.newInputStream(p)) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            sha.update(buf, 0, n);
                        }
                    }
                    out.put(key, HexFormat.of().formatHex(sha.digest()) + " " + Files.getPosixFilePermissions(p));
                }
            }
        }
        return out;
    }

    private static String quote(Object path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String unquote(String repr) {
        return repr.substring(1, repr.length() - 1);
    }
}
