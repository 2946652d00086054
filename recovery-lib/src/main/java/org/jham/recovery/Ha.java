package org.jham.recovery;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The guide's {@code ha_*} functions by their names, for porting C code line by line; each is
 * one call of a method of {@link HaConnection}, {@link HaFileChannel} or {@link HaSocket}, which
 * is what Java code normally calls. {@code docs/recovery.md} maps each function. Thread-safe.
 */
public final class Ha {
    private Ha() {
    }

    /** {@code ha_attach}: see {@link HaConnection#attach}. */
    public static <C extends HaConnection<C>, H> void attach(C connection, RecoveryFunction<C, H> function, H handle,
            int flags) {
        connection.attach(function, handle, flags);
    }

    /** {@code ha_detach}: see {@link HaConnection#detach}. */
    public static void detach(HaConnection<?> connection) {
        connection.detach();
    }

    /** {@code ha_connection_ctrl}: see {@link HaConnection#connectionCtrl}. */
    public static void connectionCtrl(HaConnection<?> connection, int command, int value) {
        connection.connectionCtrl(command, value);
    }

    /** {@code ha_dup}: see {@link HaConnection#dup}. */
    public static <C extends HaConnection<C>> C dup(C connection) {
        return connection.dup();
    }

    /** {@code ha_close}, {@code ha_fclose}, {@code ha_ConnectDetach(_r)}: see {@link HaConnection#close}. */
    public static void close(HaConnection<?> connection) throws IOException {
        connection.close();
    }

    /** {@code ha_open}, {@code ha_open64}: see {@link HaFileChannel#open(Path, RecoveryFunction, Object, int, OpenOption...)}. */
    public static <H> HaFileChannel open(Path path, RecoveryFunction<HaFileChannel, H> function, H handle, int haflags,
            OpenOption... options) throws IOException {
        return HaFileChannel.open(path, function, handle, haflags, options);
    }

    /** {@code ha_creat}, {@code ha_creat64}: see {@link HaFileChannel#creat}. */
    public static <H> HaFileChannel creat(Path path, RecoveryFunction<HaFileChannel, H> function, H handle, int haflags)
            throws IOException {
        return HaFileChannel.creat(path, function, handle, haflags);
    }

    /** {@code ha_fopen}: see {@link HaFileChannel#fopen}. */
    public static <H> HaFileChannel fopen(Path path, String mode, RecoveryFunction<HaFileChannel, H> function, H handle,
            int haflags) throws IOException {
        return HaFileChannel.fopen(path, mode, function, handle, haflags);
    }

    /** {@code ha_reopen}: see {@link HaFileChannel#reopen}. */
    public static HaFileChannel reopen(HaFileChannel old, Path path, OpenOption... options) throws IOException {
        return old.reopen(path, options);
    }

    /** {@code ha_ConnectAttach}, {@code ha_ConnectAttach_r}: see {@link HaSocket#connect(SocketAddress, RecoveryFunction, Object, int)}. */
    public static <H> HaSocket connectAttach(SocketAddress address, RecoveryFunction<HaSocket, H> function, H handle,
            int haflags) throws IOException {
        return HaSocket.connect(address, function, handle, haflags);
    }

    /** {@code ha_ReConnectAttach}: see {@link HaSocket#reconnect}. */
    public static HaSocket reConnectAttach(HaSocket old, SocketAddress address) throws IOException {
        return old.reconnect(address);
    }
}
