package org.jham.agent.monitor;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jham.agent.process.CommandLine;

/**
 * The command line with which the HAM restarts a monitored JVM ({@code restart=yes}): this JVM's
 * own argv, its executable as an absolute path, quoted with the guide's rules
 * ({@link CommandLine#format}). The HAM starts its children in its own working directory, so the
 * line first changes to this JVM's ({@code /bin/sh -c 'cd -- "$0" && exec "$@"' DIR JAVA ARGS...};
 * {@code exec} keeps the pid, so the restarted JVM is the HAM's child and attaches itself again
 * as the same entity). When the agent is not on the command line (loaded into a running JVM, or
 * through {@code JAVA_TOOL_OPTIONS}, which the HAM's environment lacks) a
 * {@code -javaagent:JAR=ARGS} is added after the executable, so the new JVM is monitored too.
 * Stateless and thread-safe.
 */
final class RestartLine {
    private RestartLine() {
    }

    static final String SH = "/bin/sh";
    static final String CD_AND_EXEC = "cd -- \"$0\" && exec \"$@\"";

    /**
     * @param exe       this JVM's executable, absolute
     * @param args      its arguments (argv without argv[0])
     * @param cwd       its working directory, absolute; null to run in the HAM's
     * @param agentJar  the agent jar, absolute
     * @param agentArgs the agent argument to add when {@code args} lack this agent
     */
    static String build(String exe, List<String> args, Path cwd, Path agentJar, String agentArgs) {
        List<String> argv = new ArrayList<>();
        if (cwd != null) {
            argv.addAll(List.of(SH, "-c", CD_AND_EXEC, cwd.toString()));
        }
        argv.add(exe);
        if (!hasAgent(args, cwd, agentJar)) {
            argv.add("-javaagent:" + agentJar + "=" + agentArgs);
        }
        argv.addAll(args);
        return CommandLine.format(argv);
    }

    /** True when {@code args} load {@code agentJar} as a Java agent (a relative path is read against {@code cwd}). */
    static boolean hasAgent(List<String> args, Path cwd, Path agentJar) {
        for (String a : args) {
            if (!a.startsWith("-javaagent:")) {
                continue;
            }
            String spec = a.substring("-javaagent:".length());
            int eq = spec.indexOf('=');
            String jar = eq < 0 ? spec : spec.substring(0, eq);
            try {
                Path p = cwd == null ? Path.of(jar) : cwd.resolve(jar);
                if (p.normalize().equals(agentJar.normalize())
                        || Files.exists(p) && Files.exists(agentJar) && Files.isSameFile(p, agentJar)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // Not a path we can compare: not ours.
            }
        }
        return false;
    }

    /** Splits a {@code /proc/<pid>/cmdline} (NUL-separated argv, NUL-terminated). */
    static List<String> splitCmdline(byte[] raw, Charset cs) {
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                argv.add(new String(raw, start, i - start, cs));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            argv.add(new String(raw, start, raw.length - start, cs));
        }
        return argv;
    }

    /**
     * This JVM's restart line.
     *
     * @throws IOException when its command line cannot be read
     */
    static String ofThisJvm(Path agentJar, String agentArgs) throws IOException {
        List<String> argv;
        Path proc = Path.of("/proc/self/cmdline");
        if (Files.isReadable(proc)) {
            argv = splitCmdline(Files.readAllBytes(proc), Charset.defaultCharset());
        } else {
            ProcessHandle.Info info = ProcessHandle.current().info();
            argv = new ArrayList<>();
            argv.add("java");
            argv.addAll(List.of(info.arguments().orElseThrow(() -> new IOException(
                    "neither /proc/self/cmdline nor the JDK give this JVM's arguments"))));
        }
        if (argv.isEmpty()) {
            throw new IOException("this JVM's command line is empty");
        }
        String exe = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path cwd = Files.isExecutable(Path.of(SH)) ? Path.of("").toAbsolutePath() : null;
        return build(exe, argv.subList(1, argv.size()), cwd, agentJar, agentArgs);
    }
}
