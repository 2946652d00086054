package org.jham;

import java.net.MalformedURLException;
import java.util.Objects;
import javax.management.remote.JMXServiceURL;

/**
 * Where a HAM is: the jHAM analogue of a QNET node. A node name is {@code host}, {@code host:port}
 * or a full {@code service:jmx:jmxmp://host:port} URL; {@code null} or {@code ""} is the local
 * HAM, whose address is the {@code jham.node} system property, else the {@code JHAM_NODE}
 * environment variable, else {@code 127.0.0.1:7770}. Immutable and thread-safe.
 */
public final class HamNode {
    public static final int DEFAULT_PORT = 7770;
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final boolean local;
    private final JMXServiceURL url;

    private HamNode(boolean local, JMXServiceURL url) {
        this.local = local;
        this.url = url;
    }

    /** Parses a node name; EINVAL when it is not a host, host:port or jmxmp URL. */
    public static HamNode of(String nodename) {
        boolean local = nodename == null || nodename.isBlank();
        String name = local ? defaultLocal() : nodename.trim();
        return new HamNode(local, toUrl(name));
    }

    /** True when the caller named no node (the local HAM, possibly in this very JVM). */
    public boolean isLocal() {
        return local;
    }

    public JMXServiceURL url() {
        return url;
    }

    /** The key under which the client shares one connection: the URL without the local marker. */
    public String key() {
        return url.toString();
    }

    private static String defaultLocal() {
        String p = System.getProperty("jham.node");
        if (p != null && !p.isBlank()) {
            return p.trim();
        }
        String e = System.getenv("JHAM_NODE");
        if (e != null && !e.isBlank()) {
            return e.trim();
        }
        return DEFAULT_HOST + ":" + DEFAULT_PORT;
    }

    /** Builds the JMXMP URL for a node name (host, host:port, [v6]:port or a service URL). */
    public static JMXServiceURL toUrl(String name) {
        try {
            if (name.startsWith("service:jmx:")) {
                return new JMXServiceURL(name);
            }
            String host = name;
            int port = DEFAULT_PORT;
            int colon = name.lastIndexOf(':');
            if (colon > 0 && name.indexOf(':') == colon || name.startsWith("[") && colon > name.indexOf(']')) {
                host = name.substring(0, colon);
                port = Integer.parseInt(name.substring(colon + 1));
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || port <= 0 || port > 65535) {
                throw new HamException(Errno.EINVAL, "node '" + name + "' is not host[:port]");
            }
            return new JMXServiceURL("jmxmp", host, port);
        } catch (NumberFormatException | MalformedURLException e) {
            throw new HamException(Errno.EINVAL, "node '" + name + "' is not host[:port] or a service:jmx URL", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HamNode && ((HamNode) o).local == local && ((HamNode) o).key().equals(key());
    }

    @Override
    public int hashCode() {
        return Objects.hash(local, key());
    }

    @Override
    public String toString() {
        return local ? "local(" + key() + ")" : key();
    }
}
