package org.jham.samples.recovery;

import static org.jham.recovery.HaConstants.HAREPLACERECOVERYFN;
import static org.jham.samples.recovery.RemoteFile.read;
import static org.jham.samples.recovery.RemoteFile.reopen;
import static org.jham.samples.recovery.RemoteFile.text;

import java.io.IOException;
import java.net.SocketAddress;
import org.jham.recovery.Ha;
import org.jham.recovery.HaSocket;

/**
 * The guide's "A simple example" of the client recovery library (chapter 5) in Java: a client
 * reads from a server, sleeps (the server may die and come back meanwhile), and reads again; its
 * connections are HA-aware, so a read on a stale connection calls the recovery function, which
 * reopens the connection, and the read is done again. Along the way it dups a connection, replaces
 * the recovery function of a copy, closes and opens connections, as the guide does, and prints
 * the total count of recoveries its handle kept.
 *
 * <p>The server is a {@link FileServer}, started and restarted by a HAM (see the README): kill it
 * with {@code kill -9} during a sleep. The guide's {@code open(SERVER)} is a connect to it, its
 * {@code read(fd, buf, 30)} a request ({@link RemoteFile#read}); the recovery function reopens
 * without seeking, so after a recovery the file is read from its start again, as in the guide.
 *
 * <pre>
 * java -cp ... org.jham.samples.recovery.RecoverySimple [-sleep SECONDS|-] HOST:PORT
 * -sleep: the two sleeps (default 15, the guide's); "-" waits for Enter instead
 * </pre>
 */
public final class RecoverySimple {
    private RecoverySimple() {
    }

    /** The guide's {@code Handle}: the recoveries so far. */
    static final class Handle {
        int nr;
    }

    static SocketAddress server;

    static HaSocket recoverConn2(HaSocket oldfd, Handle hdl) throws IOException, InterruptedException {
        System.out.println("recovering for fd " + oldfd + " inside function 2");
        HaSocket newfd = reopen(oldfd, server); // re-open the connection
        hdl.nr++; // perform any other kind of state reconstruction
        return newfd;
    }

    static HaSocket recoverConn(HaSocket oldfd, Handle hdl) throws IOException, InterruptedException {
        System.out.println("recovering for fd " + oldfd + " inside function");
        HaSocket newfd = reopen(oldfd, server); // re-open the connection
        hdl.nr++; // perform any other kind of state reconstruction
        return newfd;
    }

    /** The guide's {@code read()} and its error check, printing what was read. */
    static void readAndPrint(HaSocket fd, byte[] buf) {
        try {
            int status = read(fd, buf, 30);
            System.out.println("read " + status + " bytes: \"" + text(buf, status) + "\"");
        } catch (IOException e) {
            System.out.println("error: " + e.getMessage());
        }
    }

    public static void main(String[] args) throws Exception {
        String sleep = "15";
        int i = 0;
        if (args.length > 1 && args[0].equals("-sleep")) {
            sleep = args[1];
            i = 2;
        }
        if (args.length - i != 1) {
            System.err.println("usage: RecoverySimple [-sleep SECONDS|-] HOST:PORT");
            System.exit(2);
        }
        server = RemoteFile.address(args[i]);
        Handle hdl = new Handle();
        byte[] buf = new byte[80];
        hdl.nr = 0;

        // open a connection and make it HA aware
        HaSocket fd;
        try {
            fd = Ha.connectAttach(server, RecoverySimple::recoverConn, hdl, 0);
        } catch (IOException e) {
            System.out.println("could not open " + server + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("fd = " + fd);
        // Dup the fd: the copy is HA-aware too.
        HaSocket fd2 = Ha.dup(fd);
        System.out.println("dup-ped fd2 = " + fd2);
        System.out.println("before sleeping first time");
        // Possibly the server dies and comes back in this little time.
        RemoteFile.pause(sleep);
        // If the server has died and returned, this read fails, the recovery function runs and
        // reopens the connection, and the read is done again.
        System.out.println("trying to read from " + server + " using fd " + fd2);
        readAndPrint(fd2, buf);
        // fd and fd2 are dup-ped: from now on, recovery (if any) is done by recoverConn2 for both.
        Ha.attach(fd2, RecoverySimple::recoverConn2, hdl, HAREPLACERECOVERYFN);
        Ha.close(fd); // close fd
        // open a new connection
        fd = HaSocket.connect(server);
        System.out.println("New fd = " + fd);
        // make it HA aware
        Ha.attach(fd, RecoverySimple::recoverConn, hdl, 0);
        System.out.println("before sleeping again");
        // copy it again
        HaSocket fd3 = Ha.dup(fd);
        // go to sleep... possibly another occasion for the server to fail
        RemoteFile.pause(sleep);
        // Get rid of one of the copies; fd3 still has the recovery function.
        Ha.close(fd);
        System.out.println("trying to read from " + server + " using fd " + fd3);
        // If it fails, recoverConn is called back.
        readAndPrint(fd3, buf);
        System.out.println("trying to read from " + server + " once more using fd " + fd2);
        // If this fails, the recovery is by recoverConn2, since we replaced the function for fd2.
        readAndPrint(fd2, buf);
        // close fd2 and detach it from the HA library
        Ha.close(fd2);
        Ha.close(fd3);
        // finally print our local statistics, kept along the way
        System.out.println("total recoveries, " + hdl.nr);
    }
}
