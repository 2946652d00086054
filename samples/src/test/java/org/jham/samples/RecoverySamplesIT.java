package org.jham.samples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jham.samples.recovery.FileServer;
import org.jham.samples.recovery.RecoverySimple;
import org.jham.samples.recovery.RecoveryStateReconstruction;
import org.junit.jupiter.api.Test;

/**
 * The guide's two recovery examples, ported: against a HAM started by {@code bin/ham}, the
 * {@link SimpleRestart} sample puts the {@link FileServer} under the HAM with a restart on death,
 * as the README does; the sample client runs in its own JVM and, while it sleeps, the test kills
 * the server with {@code kill -9}; the HAM restarts it, and the client's next read recovers.
 */
class RecoverySamplesIT {
    /** The remote file: one line, so that each read prints on one line; no 15 bytes repeat. */
    static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-the end\n";

    /** The class path a user gives the recovery samples (see the README). */
    static final String CLASS_PATH = LiveHam.SAMPLE_CLASS_PATH + File.pathSeparator
            + LiveHam.TOP.resolve("recovery-lib/target/classes");

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Puts a FileServer under the HAM (started by it, restarted on death) and returns its first pid. */
    static long fileServerUnderTheHam(LiveHam ham, int port, Path file) {
        LiveHam.Result setup = LiveHam.runSample(SimpleRestart.class, "-node", ham.node, "fileserver", LiveHam.JAVA,
                "-cp", LiveHam.MODULE.resolve("target/classes").toString(), FileServer.class.getName(),
                Integer.toString(port), file.toString());
        assertEquals(0, setup.status(), setup.out());
        long pid = ham.awaitPid("fileserver", -1);
        awaitListening(port);
        return pid;
    }

    static void awaitListening(int port) {
        Await.until("a server on port " + port, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Kills the server with kill -9 and waits until the HAM has a new one running. */
    static long killAndAwaitRestart(LiveHam ham, long pid) {
        LiveHam.kill9(pid);
        return ham.awaitPid("fileserver", pid);
    }

    /** A sample client in its own JVM, whose pauses end when the test says so (its stdin). */
    static final class Client implements AutoCloseable {
        private final LiveHam.Live live;
        final Process process;

        Client(Class<?> main, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(LiveHam.JAVA, "-cp", CLASS_PATH, main.getName()));
            cmd.addAll(List.of(args));
            live = new LiveHam.Live(cmd, true);
            process = live.process;
        }

        List<String> lines() {
            return live.lines();
        }

        void awaitLine(String line) {
            live.awaitLine(line);
        }

        /** Ends the pause the client is in. */
        void resume() throws IOException {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
        }

        List<String> awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the client did not end");
            live.awaitOutputEnd();
            assertEquals(0, process.exitValue(), String.join("\n", lines()));
            return lines();
        }

        @Override
        public void close() {
            live.close();
        }
    }

    /** Checks that {@code lines}, from {@code from} on, match {@code patterns} in order, one line each. */
    static int expect(List<String> lines, int from, String... patterns) {
        int at = from;
        for (String p : patterns) {
            assertTrue(at < lines.size(), "missing a line matching " + p + " in\n" + String.join("\n", lines));
            assertTrue(Pattern.matches(p, lines.get(at)), "line " + at + " \"" + lines.get(at) + "\" does not match " + p
                    + " in\n" + String.join("\n", lines));
            at++;
        }
        return at;
    }

    static String q(String s) {
        return Pattern.quote(s);
    }

    @Test
    void recoverySimpleRecoversThroughBothFunctionsAfterTwoKills() throws Exception {
        try (LiveHam ham = new LiveHam()) {
            Path file = ham.stateDir.resolve("server.txt");
            Files.writeString(file, TEXT, US_ASCII);
            int port = freePort();
            long pid = fileServerUnderTheHam(ham, port, file);
            try (Client client = new Client(RecoverySimple.class, "-sleep", "-", "127.0.0.1:" + port)) {
                client.awaitLine("before sleeping first time");
                pid = killAndAwaitRestart(ham, pid);
                client.resume();
                client.awaitLine("before sleeping again");
                pid = killAndAwaitRestart(ham, pid);
                client.resume();
                List<String> out = client.awaitExit();
                // Each recovery reopens without seeking, as the guide's does: the start of the file again.
                String first30 = q("read 30 bytes: \"" + TEXT.substring(0, 30) + "\"");
                String fd = "HaSocket\\[.*\\]";
                expect(out, 0,
                        "fd = " + fd,
                        "dup-ped fd2 = " + fd,
                        "before sleeping first time",
                        "trying to read from .* using fd " + fd,
                        "recovering for fd " + fd + " inside function",
                        first30,
                        "New fd = " + fd,
                        "before sleeping again",
                        "trying to read from .* using fd " + fd,
                        "recovering for fd " + fd + " inside function",
                        first30,
                        "trying to read from .* once more using fd " + fd,
                        "recovering for fd " + fd + " inside function 2",
                        first30,
                        "total recoveries, 3");
                assertEquals(15, out.size(), String.join("\n", out));
                assertEquals(2, ham.entity("fileserver").getNumRestarts());
            }
        }
    }

    @Test
    void stateReconstructionReadsOnAtTheRightOffsetAfterAKill() throws Exception {
        try (LiveHam ham = new LiveHam()) {
            Path file = ham.stateDir.resolve("remote.txt");
            Files.writeString(file, TEXT, US_ASCII);
            int port = freePort();
            long pid = fileServerUnderTheHam(ham, port, file);
            try (Client client = new Client(RecoveryStateReconstruction.class, "-sleep", "-", "127.0.0.1:" + port)) {
                client.awaitLine("before sleeping first time");
                client.awaitLine(TEXT.substring(0, 15));
                killAndAwaitRestart(ham, pid);
                client.resume();
                List<String> out = client.awaitExit();
                String fd = "HaSocket\\[.*\\]";
                // The first 15 bytes, then - after the recovery - the next 15, not the first again;
                // the connection opened without the library gets the error, no recovery.
                int at = expect(out, 0,
                        "trying to read from file using fd " + fd,
                        "before sleeping first time",
                        q(TEXT.substring(0, 15)),
                        "trying to read from file using fd " + fd,
                        "after sleeping",
                        "recovering for fd " + fd + " inside function",
                        q(TEXT.substring(15, 30)),
                        "trying to read from file using fd " + fd,
                        "error: .*",
                        "total recoveries, 1");
                assertEquals(at, out.size(), String.join("\n", out));
            }
        }
    }
}
