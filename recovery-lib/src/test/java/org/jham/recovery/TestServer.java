package org.jham.recovery;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The servers the integration tests kill with {@code kill -9} and start again: a separate JVM
 * each, started from the test classes. Each prints {@code ready PORT} once it serves.
 *
 * <pre>
 * stream PORT FILE  per connection: reads "FROM offset\n", then sends FILE from there in 1 KiB
 *                   pieces, a little at a time (so that a kill lands mid-stream), then idles
 * sink PORT FILE    per connection: sends "HAVE n\n" (n = lines in FILE), then appends each line
 *                   "%08d\n" it receives whose number is the next one (duplicates are dropped)
 * msg PORT FILE     msgSend frames: "READ n" (n bytes at the connection's offset, which moves),
 *                   "SEEK off" (replies "OK"), "PREAD off n" (n bytes at off)
 * fifo FIFO FILE    reads lines "%08d\n" from the FIFO and appends the next-numbered ones to FILE
 * </pre>
 */
public final class TestServer {
    private TestServer() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("fifo")) {
            fifo(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        int port = Integer.parseInt(args[1]);
        Path file = Path.of(args[2]);
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        System.out.println("ready " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            s.setTcpNoDelay(true);
            Thread t = new Thread(() -> {
                try (s) {
                    switch (mode) {
                        case "stream":
                            stream(s, file);
                            break;
                        case "sink":
                            sink(s, file);
                            break;
                        case "msg":
                            msg(s, file);
                            break;
                        default:
                            throw new IllegalArgumentException(mode);
                    }
                } catch (IOException e) {
                    // the client went away
                }
            });
            t.start();
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException();
            }
            b.append((char) c);
        }
        return b.toString();
    }

    static void stream(Socket s, Path file) throws IOException {
        InputStream in = s.getInputStream();
        String from = readLine(in);
        long offset = Long.parseLong(from.substring("FROM ".length()));
        byte[] data = Files.readAllBytes(file);
        OutputStream out = s.getOutputStream();
        for (int at = (int) offset; at < data.length; at += 1024) {
            out.write(data, at, Math.min(1024, data.length - at));
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
        while (in.read() >= 0) {
            // idle until the client closes
        }
    }

    static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Appends {@code line} if it carries the next number; one write, so a kill leaves whole lines. */
    static long appendNext(FileChannel out, String line, long next) throws IOException {
        if (Long.parseLong(line) != next) {
            return next;
        }
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(US_ASCII));
        while (b.hasRemaining()) {
            out.write(b);
        }
        return next + 1;
    }

    static synchronized void sink(Socket s, Path file) throws IOException {
        long next = lines(file);
        s.getOutputStream().write(("HAVE " + next + "\n").getBytes(US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                next = appendNext(out, line, next);
            }
        }
    }

    static void msg(Socket s, Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        int offset = 0;
        while (true) {
            byte[] req;
            try {
                req = new byte[in.readInt()];
            } catch (EOFException e) {
                return;
            }
            in.readFully(req);
            String[] w = new String(req, US_ASCII).split(" ");
            byte[] reply;
            switch (w[0]) {
                case "READ": {
                    int n = Math.max(0, Math.min(Integer.parseInt(w[1]), data.length - offset));
                    reply = java.util.Arrays.copyOfRange(data, offset, offset + n);
                    offset += n;
                    break;
                }
                case "SEEK":
                    offset = Integer.parseInt(w[1]);
                    reply = "OK".getBytes(US_ASCII);
                    break;
                case "PREAD": {
                    int at = Integer.parseInt(w[1]);
                    int n = Math.max(0, Math.min(Integer.parseInt(w[2]), data.length - at));
                    reply = java.util.Arrays.copyOfRange(data, at, at + n);
                    break;
                }
                default:
                    reply = ("ERROR unknown request " + w[0]).getBytes(US_ASCII);
            }
            // One write per reply: a frame is not split by Nagle's wait.
            ByteBuffer frame = ByteBuffer.allocate(4 + reply.length).putInt(reply.length).put(reply);
            out.write(frame.array());
            out.flush();
        }
    }

    static void fifo(Path fifo, Path file) throws IOException {
        long next = lines(file);
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        try (BufferedReader in = Files.newBufferedReader(fifo, US_ASCII);
                FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                next = appendNext(out, line, next);
            }
        }
    }
}
