package org.jham.agent.delivery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jham.Errno;
import org.jham.HamException;

/**
 * What "a path appears in the namespace" means for a waitfor (DESIGN.md): an absolute file path
 * exists; a JMX ObjectName is registered in the HAM's MBean server; {@code tcp:host:port}
 * accepts a connection. Thread-safe (stateless but for the MBean server).
 */
public final class NamespaceProbe {
    private final MBeanServer mbeans;

    public NamespaceProbe(MBeanServer mbeans) {
        this.mbeans = mbeans;
    }

    /** EINVAL unless {@code path} is one of the three forms. */
    public void check(String path) {
        kind(path);
    }

    /** Whether the path is present now; a TCP probe blocks at most {@code maxBlockMillis}. */
    public boolean present(String path, long maxBlockMillis) {
        switch (kind(path)) {
            case FILE:
                return Files.exists(Path.of(path));
            case MBEAN:
                return mbeans.isRegistered(objectName(path));
            default:
                String[] hp = hostPort(path);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), (int) Math.max(1, maxBlockMillis));
                    return true;
                } catch (IOException e) {
                    return false;
                }
        }
    }

    private enum Kind { FILE, MBEAN, TCP }

    private static Kind kind(String path) {
        if (path == null || path.isBlank()) {
            throw new HamException(Errno.EINVAL, "waitfor path is empty");
        }
        if (path.startsWith("tcp:")) {
            hostPort(path);
            return Kind.TCP;
        }
        if (path.startsWith("/")) {
            return Kind.FILE;
        }
        if (path.indexOf(':') > 0) {
            objectName(path);
            return Kind.MBEAN;
        }
        throw new HamException(Errno.EINVAL, "waitfor path '" + path
                + "' is neither an absolute file path, a JMX ObjectName (domain:key=value) nor tcp:host:port");
    }

    private static ObjectName objectName(String path) {
        try {
            return new ObjectName(path);
        } catch (MalformedObjectNameException e) {
            throw new HamException(Errno.EINVAL, "waitfor path '" + path + "' is not a valid ObjectName: " + e.getMessage());
        }
    }

    private static String[] hostPort(String path) {
        String rest = path.substring("tcp:".length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new HamException(Errno.EINVAL, "waitfor path '" + path + "' must be tcp:host:port");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new HamException(Errno.EINVAL, "waitfor path '" + path + "': port must be 1..65535");
        }
        return new String[] {host, Integer.toString(port)};
    }
}
