package org.jham.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs real commands for integration tests: a command's output and status, or a long-lived process. */
public final class Child {
    private Child() {
    }

    /** The ham-agent module directory (tests run with it as the working directory). */
    public static final Path MODULE = Path.of("").toAbsolutePath();
    public static final Path TOP = MODULE.getParent();
    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    public record Result(int status, String out) {
    }

    /** Runs a command to completion (stderr merged into out), within a generous deadline. */
    public static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Result run(String... cmd) {
        return run(List.of(cmd));
    }

    /** A started process whose output lines are collected in the background. */
    public static final class Live implements AutoCloseable {
        public final Process process;
        private final List<String> lines = new ArrayList<>();

        public Live(List<String> cmd) throws IOException {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                    }
                } catch (IOException e) {
                    // The process ended: its output ends with it.
                }
            }, "test-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for an output line matching {@code regex} and returns its first group. */
        public String await(String regex) {
            Pattern pattern = Pattern.compile(regex);
            return Await.value("output matching " + regex + " from " + process.pid(), () -> {
                synchronized (lines) {
                    for (String l : lines) {
                        Matcher m = pattern.matcher(l);
                        if (m.find()) {
                            return m.groupCount() > 0 ? m.group(1) : l;
                        }
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("process ended (" + process.exitValue() + ") with output " + output());
                }
                return null;
            });
        }

        public String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        }
    }
}
