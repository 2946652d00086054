package org.jham.samples.recovery;

import static org.jham.samples.recovery.RemoteFile.lseek;
import static org.jham.samples.recovery.RemoteFile.read;
import static org.jham.samples.recovery.RemoteFile.reopen;
import static org.jham.samples.recovery.RemoteFile.text;

import java.io.IOException;
import java.net.SocketAddress;
import org.jham.recovery.Ha;
import org.jham.recovery.HaSocket;

/**
 * The guide's "State-reconstruction example" of the client recovery library (chapter 5) in Java:
 * besides reopening the connection, the recovery function rebuilds its state by seeking to the
 * offset the client had reached, which the client checkpoints in its handle after each read. So
 * a read after the server died and came back goes on where the last one ended. A second
 * connection opened without the library gets the plain error instead.
 *
 * <p>The remote file is served by a {@link FileServer} that a HAM restarts (see the README): kill
 * it with {@code kill -9} during the sleep.
 *
 * <pre>
 * java -cp ... org.jham.samples.recovery.RecoveryStateReconstruction [-sleep SECONDS|-] HOST:PORT
 * -sleep: the sleep (default 18, the guide's); "-" waits for Enter instead
 * </pre>
 */
public final class RecoveryStateReconstruction {
    private RecoveryStateReconstruction() {
    }

    /** The guide's {@code Handle}: the recoveries so far and the checkpointed offset. */
    static final class Handle {
        int nr;
        long currOffset;
    }

    static SocketAddress remotefile;

    static HaSocket recoverConn(HaSocket oldfd, Handle hdl) throws IOException, InterruptedException {
        System.out.println("recovering for fd " + oldfd + " inside function");
        HaSocket newfd = reopen(oldfd, remotefile); // re-open the file
        lseek(newfd, hdl.currOffset); // re-construct state, by seeking to the correct offset
        hdl.nr++;
        return newfd;
    }

    /** The guide's read, error check and character loop; returns the status. */
    static int readAndPrint(HaSocket fd, byte[] buf) {
        try {
            int status = read(fd, buf, 15);
            System.out.println(text(buf, status));
            return status;
        } catch (IOException e) {
            System.out.println("error: " + e.getMessage());
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        String sleep = "18";
        int i = 0;
        if (args.length > 1 && args[0].equals("-sleep")) {
            sleep = args[1];
            i = 2;
        }
        if (args.length - i != 1) {
            System.err.println("usage: RecoveryStateReconstruction [-sleep SECONDS|-] HOST:PORT");
            System.exit(2);
        }
        remotefile = RemoteFile.address(args[i]);
        Handle hdl = new Handle();
        byte[] buf = new byte[80];
        hdl.nr = 0;
        hdl.currOffset = 0;

        // open a connection
        HaSocket fd;
        HaSocket fd2;
        try {
            fd = Ha.connectAttach(remotefile, RecoveryStateReconstruction::recoverConn, hdl, 0);
            fd2 = HaSocket.connect(remotefile); // a plain open: not HA-aware
        } catch (IOException e) {
            System.out.println("could not open file: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("trying to read from file using fd " + fd);
        System.out.println("before sleeping first time");
        int status = readAndPrint(fd, buf);
        if (status >= 0) {
            // Update the state of the connection: a checkpoint, so that the recovery function
            // has an easier time.
            hdl.currOffset += status;
        }
        HaSocket fd3 = Ha.dup(fd);
        // Sleep: some other computation or blocking operation, a window in which the server may fail.
        RemoteFile.pause(sleep);
        System.out.println("trying to read from file using fd " + fd);
        System.out.println("after sleeping");
        // If this read fails, it recovers: reopens, seeks to the right spot, and reads again.
        status = readAndPrint(fd, buf);
        if (status >= 0) {
            hdl.currOffset += status;
        }
        System.out.println("trying to read from file using fd " + fd2);
        // Again, with the connection opened without the library: no recovery, the error.
        readAndPrint(fd2, buf);
        System.out.println("total recoveries, " + hdl.nr);
        Ha.close(fd);
        Ha.close(fd3);
        fd2.close();
    }
}
