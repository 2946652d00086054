package org.jham.samples.recovery;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jham.recovery.HaSocket;

/**
 * The client side of {@link FileServer}'s protocol, shaped like the C calls of the guide's
 * examples: {@code read(fd, buf, n)} and {@code lseek(fd, offset)} are requests sent with
 * {@link HaSocket#msgSend} (as, on QNX, they are messages to the resource manager), and
 * {@code open} / {@code reopen} connect. Through an HA-aware {@link HaSocket} they recover.
 */
final class RemoteFile {
    private RemoteFile() {
    }

    /** One reader for every pause: a reader of its own each time could swallow the next line. */
    private static final java.io.BufferedReader STDIN = new java.io.BufferedReader(
            new java.io.InputStreamReader(System.in, US_ASCII));

    /** How long {@link #reopen} waits for a server the HAM is restarting. */
    static final long PATIENCE_MS = 30_000;

    static SocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** {@code read(fd, buf, n)}: up to {@code n} bytes at {@code fd}'s offset into {@code buf}; 0 at the end. */
    static int read(HaSocket fd, byte[] buf, int n) throws IOException {
        byte[] reply = fd.msgSend(("READ " + n).getBytes(US_ASCII));
        System.arraycopy(reply, 0, buf, 0, reply.length);
        return reply.length;
    }

    /** {@code lseek(fd, offset, SEEK_SET)}. */
    static void lseek(HaSocket fd, long offset) throws IOException {
        fd.msgSend(("SEEK " + offset).getBytes(US_ASCII));
    }

    /**
     * {@code ha_reopen(oldfd, SERVER, O_RDONLY)}: a new connection (a new open: offset 0) in
     * place of {@code oldfd}, which stays the same object. The guide's server is back at once; a
     * server the HAM restarts takes a moment to listen again, so this waits for it.
     */
    static HaSocket reopen(HaSocket oldfd, SocketAddress server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (true) {
            try {
                return oldfd.reconnect(server);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    static String text(byte[] buf, int n) {
        return new String(buf, 0, n, US_ASCII);
    }

    /**
     * The guide's {@code sleep(seconds)}, during which the server may die: {@code -} waits for a
     * line on standard input instead (Enter, or a test).
     */
    static void pause(String seconds) throws IOException, InterruptedException {
        if (seconds.equals("-")) {
            if (STDIN.readLine() == null) {
                throw new java.io.EOFException("standard input closed during the pause");
            }
        } else {
            Thread.sleep(Long.parseLong(seconds) * 1000);
        }
    }
}
