package org.jham.samples.recovery;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The small server of the recovery samples: it serves one file over TCP on loopback, the way a
 * QNX resource manager serves a path. Each connection is an open of the file, with its own
 * offset starting at 0; requests are {@link org.jham.recovery.HaSocket#msgSend} frames (a 4-byte
 * big-endian length, then the bytes), each answered by one frame:
 * <ul>
 * <li>{@code READ n} — up to {@code n} bytes from the offset, which moves past them (the guide's
 *     {@code read()}); an empty reply at the end of the file;</li>
 * <li>{@code SEEK offset} — sets the offset ({@code lseek(fd, offset, SEEK_SET)}); replies
 *     {@code OK}.</li>
 * </ul>
 * Meant to be started, and restarted when it dies, by a HAM: it binds the same port each time.
 * It holds no state worth keeping: a client that lost its connection reconnects and seeks.
 *
 * <pre>
 * java -cp ... org.jham.samples.recovery.FileServer PORT FILE
 * </pre>
 * Depends on the JDK only, so its class path can be just the samples' classes.
 */
public final class FileServer {
    private FileServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FileServer PORT FILE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        if (!Files.isReadable(file)) {
            System.err.println("FileServer: cannot read " + file);
            System.exit(1);
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true); // a restarted server binds the port its predecessor held
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        System.out.println("FileServer serving " + file + " on 127.0.0.1:" + server.getLocalPort() + " pid="
                + ProcessHandle.current().pid());
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> serve(s, file), "connection-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(Socket s, Path file) {
        try (s) {
            s.setTcpNoDelay(true);
            byte[] data = Files.readAllBytes(file);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            int offset = 0;
            while (true) {
                byte[] request;
                try {
                    request = new byte[in.readInt()];
                } catch (EOFException e) {
                    return; // the client closed
                }
                in.readFully(request);
                String[] words = new String(request, US_ASCII).split(" ");
                byte[] reply;
                if (words.length == 2 && words[0].equals("READ")) {
                    int n = Math.max(0, Math.min(Integer.parseInt(words[1]), data.length - offset));
                    reply = Arrays.copyOfRange(data, offset, offset + n);
                    offset += n;
                } else if (words.length == 2 && words[0].equals("SEEK")) {
                    offset = Math.max(0, Math.min(Integer.parseInt(words[1]), data.length));
                    reply = "OK".getBytes(US_ASCII);
                } else {
                    reply = ("ERROR " + String.join(" ", words)).getBytes(US_ASCII);
                }
                // One write per reply frame: no frame waits on Nagle's algorithm.
                out.write(ByteBuffer.allocate(4 + reply.length).putInt(reply.length).put(reply).array());
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // This connection is over; the server goes on.
        }
    }
}
