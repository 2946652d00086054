package org.jham.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.Errno;

/**
 * Runs a jmxterm script against a HAM as a user would (jmxterm's uber jar and the JMXMP jar, which
 * the build copies into {@code target/}), and tells what each {@code run} line did: jmxterm
 * {@code -v brief} writes a {@code #calling operation} line and then either
 * {@code #operation returns:} (the value goes to stdout, one line) or the exception line to stderr.
 */
public final class Jmxterm {
    private Jmxterm() {
    }

    private static final Pattern CALL = Pattern.compile("^#calling operation (\\S+) of mbean (.+) with params .*$");
    private static final Pattern ERRNO = Pattern.compile(": ((E[A-Z]+): .*)$");

    /** What one {@code run} did: the value it returned (as jmxterm prints it), or the exception line. */
    public record Outcome(String operation, String bean, String returned, String exceptionLine) {
        public boolean ok() {
            return exceptionLine == null;
        }

        /** The exception message from its errno on, e.g. {@code EINVAL: ...}; null when there is none. */
        public String message() {
            if (exceptionLine == null) {
                return null;
            }
            Matcher m = ERRNO.matcher(exceptionLine);
            return m.find() && Errno.fromMessage(m.group(1)) != null ? m.group(1) : null;
        }

        public Errno errno() {
            return Errno.fromMessage(message());
        }
    }

    /** jmxterm splits arguments at spaces and quotes do not group them: a space is escaped. */
    public static String arg(String s) {
        return s.replace(" ", "\\ ");
    }

    /**
     * Opens {@code node}, runs {@code lines} (bean, run, ...), closes, and returns one outcome per
     * {@code run} that jmxterm reported, in order. Errors do not stop the script.
     */
    public static List<Outcome> run(String node, List<String> lines) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jmxterm");
            Path script = dir.resolve("script.jmx");
            Path out = dir.resolve("out");
            Path err = dir.resolve("err");
            List<String> all = new ArrayList<>();
            all.add("open service:jmx:jmxmp://" + node);
            all.addAll(lines);
            all.add("close");
            Files.write(script, all, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(Child.JAVA, "-cp",
                    Child.MODULE.resolve("target/tools/jmxterm-uber.jar") + ":" + jmxmpJar(),
                    "org.cyclopsgroup.jmxterm.boot.CliMain", "-n", "-v", "brief", "-i", script.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    throw new AssertionError("jmxterm timed out on " + lines);
                }
            } finally {
                p.destroyForcibly();
            }
            return parse(Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary file is harmless; the outcome of the test is not.
        }
    }

    static List<Outcome> parse(List<String> out, List<String> err) {
        List<Outcome> outcomes = new ArrayList<>();
        Iterator<String> values = out.iterator();
        Matcher call = null;
        for (String line : err) {
            Matcher m = CALL.matcher(line);
            if (m.matches()) {
                call = m;
                continue;
            }
            if (call == null || !line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("#operation returns")) {
                if (!values.hasNext()) {
                    throw new AssertionError("jmxterm printed no value for " + call.group(0) + "; stdout " + out);
                }
                outcomes.add(new Outcome(call.group(1), call.group(2), values.next(), null));
            } else {
                outcomes.add(new Outcome(call.group(1), call.group(2), null, line));
            }
            call = null;
        }
        return outcomes;
    }

    private static Path jmxmpJar() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Child.MODULE.resolve("target/lib"),
                "opendmk_jmxremote_optional_jar-*.jar")) {
            for (Path p : s) {
                return p;
            }
        }
        throw new AssertionError("no JMXMP jar in target/lib: run the package phase first");
    }
}
